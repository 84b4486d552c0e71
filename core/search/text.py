"""Words of Russian text as the index and the queries see them: tokens, Snowball stems, stop words, the query
languages of both databases, and the highlighted snippet (escaped in Python, never by the database)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"[^\W_]+")
# PostgreSQL's russian.stop (the Snowball list): the `russian` configuration drops these, so do the queries here
_STOP_TEXT = (
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было "
    "вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас "
    "нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем "
    "была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем "
    "ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец "
    "два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя "
    "впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между "
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
MIN_PREFIX = 4  # a stem this long or longer also finds longer words (`земел` → «земельный»)
_FLEETING_GONE = re.compile(r"^(.*[бвгджзклмнпрстфхцчшщ])([кц])$")  # «участк» (участка) ← «участок»
_FLEETING_KEPT = re.compile(r"^(.*[бвгджзклмнпрстфхцчшщ])[оеё]([кц])$")  # «участок» → «участк»
_STEMMER = snowballstemmer.stemmer("russian")


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower().replace("ё", "е"))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower().replace("ё", "е"))


def stemmed(text: str) -> str:
    """The text as FTS5 indexes it on SQLite: every word replaced by its Snowball stem (stop words kept: a query
    never asks for them)."""
    return " ".join(stem(w) for w in words(text))


def stem_variants(word: str) -> tuple[str, ...]:
    """The stems a query word stands for: its Snowball stem and, for a fleeting vowel that Snowball keeps in one
    form and not in the other («участок» / «участка»), the other spelling of the stem."""
    base = stem(word)
    variants = [base]
    if match := _FLEETING_KEPT.match(base):
        variants.append(match[1] + match[2])
    elif match := _FLEETING_GONE.match(base):
        variants += [match[1] + "о" + match[2], match[1] + "е" + match[2]]
    return tuple(variants)


@dataclass(frozen=True)
class Terms:
    """A query as searched: its words (stop words and one-letter words left out) and, per word, its stems."""

    words: tuple[str, ...]
    stems: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def terms(query: str, *, limit: int = 12) -> Terms:
    seen, kept = set(), []
    for word in words(query):
        if (len(word) < 2 and not word.isdigit()) or word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        kept.append(word)
    kept = kept[:limit]
    return Terms(tuple(kept), tuple(stem_variants(w) for w in kept))


def _lexemes(variants: tuple[str, ...], *, quote: str, prefixes: bool = True) -> list[str]:
    prefix = (":*" if quote == "'" else "*") if prefixes else ""
    return [f"{quote}{v}{quote}{prefix if len(v) >= MIN_PREFIX else ''}" for v in variants]


def pg_tsquery(found: Terms, *, any_word: bool = False) -> str:
    """to_tsquery('simple', …) text: each word as any of its stems (a long stem as a prefix), all words required
    (`any_word`: one is enough). Stems are Snowball's, the same algorithm as the `russian` configuration's."""
    joiner = " | " if any_word else " & "  # any word: a whole text's words, no prefixes (they widen it too much)
    return joiner.join("(" + " | ".join(_lexemes(v, quote="'", prefixes=not any_word)) + ")" for v in found.stems)


def fts5_query(found: Terms, *, columns: tuple[str, ...], any_word: bool = False) -> str:
    """An FTS5 MATCH expression over the stemmed columns `columns`, with the meaning of pg_tsquery."""
    joiner = " OR " if any_word else " AND "
    body = joiner.join("(" + " OR ".join(_lexemes(v, quote='"', prefixes=not any_word)) + ")" for v in found.stems)
    return "{" + " ".join(columns) + "} : (" + body + ")"


def fts5_trigram_query(found: Terms) -> str | None:
    """The trigram table's MATCH: every word of three letters or more as a substring (case folded); None when no
    word is that long (FTS5's trigram tokenizer needs three characters)."""
    long = [w for w in found.words if len(w) >= 3]
    if not long:
        return None
    return " AND ".join('"' + w.replace('"', "") + '"' for w in long)


def _matches(token: str, found: Terms) -> bool:
    lowered = token.lower().replace("ё", "е")
    if len(lowered) < 2 and not lowered.isdigit():  # a one-digit number is a word the index finds
        return False
    token_stem = stem(lowered)
    for word, variants in zip(found.words, found.stems, strict=True):
        if word.isdigit():  # a number is found whole, as the index finds it: «1» is not «15» nor «14.10.2026»
            if lowered == word:
                return True
            continue
        if lowered.startswith(word) or (len(word) >= 3 and word in lowered):
            return True
        for v in variants:
            if token_stem == v or (len(v) >= MIN_PREFIX and token_stem.startswith(v)):
                return True
    return False


def highlight(text: str, found: Terms) -> SafeString:
    """The whole `text`, HTML-escaped, with every word the query finds in <mark>."""
    out, last = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group(), found):
            out.append(escape(text[last:match.start()]))
            out.append("<mark>" + escape(match.group()) + "</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts: list[str], found: Terms, *, width: int = 160) -> SafeString:
    """Around the first found word of the first text that holds one: about `width` characters, escaped, the found
    words in <mark>, «…» where the text was cut; empty when no text holds a found word."""
    for text in texts:
        for match in WORD.finditer(text or ""):
            if not _matches(match.group(), found):
                continue
            start = max(0, match.start() - width // 3)
            if start:  # begin at a word
                space = text.find(" ", start)
                start = space + 1 if 0 <= space < match.start() else start
            end = min(len(text), start + width)
            if end < len(text):
                space = text.rfind(" ", match.end(), end)
                end = space if space > match.end() else end
            piece = " ".join(text[start:end].split())
            html = highlight(piece, found)
            return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))
    return mark_safe("")
