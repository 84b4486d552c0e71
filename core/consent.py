"""The current text of the consent to personal-data processing (152-ФЗ) that investors accept.

152-ФЗ art. 9 part 4 asks a consent to name the operator who receives it, with its address: the text names the
agency of the installed region pack (regions/<pack>/region.toml, [agency]: name, address, e-mail). `manage.py check
--deploy` warns while the pack gives no address (zk.W004).

The version is the wording's edition and a digest of the whole text, so a new wording or another operator's name or
address is a new version: every stored consent keeps the exact text it was given for, and an investor who accepted
another text is asked to accept this one (core.services.personal_data.consent_is_current).
"""

from hashlib import sha256

from core.region import Region, current_region

CONSENT_EDITION = "2026-12-07"  # the date of the wording below; change it with the wording

_WORDING = """\
Согласие на обработку персональных данных

Я, пользователь личного кабинета инвестора системы «Зелёный коридор», в соответствии с Федеральным
законом от 27.07.2006 № 152-ФЗ «О персональных данных» свободно, своей волей и в своём интересе даю
согласие оператору системы, указанному ниже, на обработку моих персональных данных: фамилии, имени,
отчества, адреса электронной почты, номера телефона, должности и наименования представляемой организации.

Оператор персональных данных: {operator}.

Цель обработки: регистрация в личном кабинете инвестора, сопровождение инвестиционных проектов,
рассмотрение обращений в рамках механизма обратной связи, направление уведомлений о ходе их рассмотрения.

Действия с данными: сбор, запись, систематизация, накопление, хранение, уточнение, использование,
передача органам государственной власти и местного самоуправления, ресурсоснабжающим организациям —
участникам системы — в объёме, необходимом для рассмотрения обращений, обезличивание, блокирование,
удаление и уничтожение, с использованием средств автоматизации и без них.

Согласие действует до достижения целей обработки или до его отзыва. Я вправе отозвать согласие,
направив оператору письменное заявление; отзыв не влияет на законность обработки до его получения.
"""


def consent_operator(region: Region | None = None) -> str:
    """The operator as the consent names it: the agency's full name, and its address and e-mail where the pack gives
    them."""
    region = region or current_region()
    parts = [region.agency_name]
    if region.address:
        parts.append(f"адрес: {region.address}")
    if region.email:
        parts.append(f"адрес электронной почты: {region.email}")
    return ", ".join(parts)


def consent_text(region: Region | None = None) -> str:
    """The text an investor accepts now, word for word as it is stored with their consent."""
    return _WORDING.format(operator=consent_operator(region))


def consent_version(region: Region | None = None) -> str:
    """«2026-12-07.1a2b3c4d»: the edition and the first eight hex digits of the text's SHA-256 (fits the 32 characters
    of PersonalDataConsent.version)."""
    return f"{CONSENT_EDITION}.{sha256(consent_text(region).encode()).hexdigest()[:8]}"


def consent_paragraphs(text: str | None = None) -> list[str]:
    """The text as a page shows it: its paragraphs, each with the source's line wrapping undone (the stored text,
    the evidence of what was accepted, keeps it)."""
    text = consent_text() if text is None else text
    return [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]
