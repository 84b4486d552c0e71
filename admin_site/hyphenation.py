"""Soft hyphens in long Russian words, so a narrow table column breaks its header «Прединвести-ционный» with a
hyphen instead of growing wider than the screen. Browsers hyphenate Russian by themselves only with a dictionary
they may not have (Chromium downloads it, headless Chromium never does); U+00AD works everywhere, is invisible
unless the line breaks there, and screen readers and copying ignore it.

The breaks follow the classic rules for Russian syllables (a consonant cluster is split, й/ь/ъ stay with the
letter before them); each part keeps at least two letters. Good enough for column headers, not a typesetter.
"""

import re

SOFT_HYPHEN = "\u00ad"
MIN_LENGTH = 9  # shorter words fit any column
_LETTER = "а-яё"
_VOWEL = "аеёиоуыэюя"
_CONSONANT = "бвгджзклмнпрстфхцчшщ"
_SIGN = "йъь"
_RULES = (  # (letters before a break, letters after it)
    (f"[{_SIGN}]", f"[{_LETTER}][{_LETTER}]"),
    (f"[{_VOWEL}]", f"[{_VOWEL}][{_LETTER}]"),
    (f"[{_VOWEL}][{_CONSONANT}]", f"[{_CONSONANT}][{_VOWEL}]"),
    (f"[{_CONSONANT}][{_VOWEL}]", f"[{_CONSONANT}][{_VOWEL}]"),
    (f"[{_VOWEL}][{_CONSONANT}]", f"[{_CONSONANT}][{_CONSONANT}][{_VOWEL}]"),
    (f"[{_VOWEL}][{_CONSONANT}][{_CONSONANT}]", f"[{_CONSONANT}][{_CONSONANT}][{_VOWEL}]"),
)
_BREAK = re.compile("|".join(f"(?<={before})(?={after})" for before, after in _RULES), re.IGNORECASE)
_LONG_WORD = re.compile(f"[{_LETTER}]{{{MIN_LENGTH},}}", re.IGNORECASE)


def _hyphenate_word(match: re.Match) -> str:
    word = match.group(0)
    cuts = [found.start() for found in _BREAK.finditer(word) if 2 <= found.start() <= len(word) - 2]
    return SOFT_HYPHEN.join(word[start:end] for start, end in zip([0, *cuts], [*cuts, len(word)], strict=True))


def hyphenated(text: str) -> str:
    """The text with soft hyphens between the syllables of its long Russian words."""
    return _LONG_WORD.sub(_hyphenate_word, str(text))
