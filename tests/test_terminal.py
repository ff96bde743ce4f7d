"""Text for a terminal: every unsafe character escaped, and wrapping that matches textwrap."""

from __future__ import annotations

import json
import textwrap
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from negotiations.render import printable, printable_json
from negotiations.render._terminal import wrap

_BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


def unsafe(char: str) -> bool:
    """The model: what a terminal may act on, by Unicode's own tables rather than code ranges."""
    category = unicodedata.category(char)
    if category in {"Cc", "Cs", "Zl", "Zp"}:
        return True
    return char in "\u200e\u200f" or (category == "Cf" and unicodedata.bidirectional(char) in _BIDI_CONTROLS)


def escaped(text: str) -> str:
    """The model's output: each unsafe character as Python's ``unicode_escape`` writes it."""
    return "".join(c.encode("unicode_escape").decode("ascii") if unsafe(c) else c for c in text)


# Any code point at all, surrogates included, with the interesting ones drawn often.
hostile_text = st.text(
    st.one_of(
        st.characters(),
        st.characters(codec=None, categories=["Cs"]),
        st.sampled_from("\n\r\t\x1b\x07\x85\x9b\u2028\u2029\u202e\u2066\u200f\u200d\xa0é–Я😀"),
    )
)


@given(hostile_text)
def test_printable_escapes_exactly_what_a_terminal_acts_on(text: str) -> None:
    """Every control, separator, bidi control and lone surrogate is escaped; nothing else changes."""
    assert printable(text) == escaped(text)


@given(hostile_text)
def test_printable_text_is_one_line_of_unicode(text: str) -> None:
    """What printable gives is one line, encodes as UTF-8, and holds nothing a terminal acts on."""
    safe = printable(text)
    assert "\n" not in safe
    assert "\x1b" not in safe
    safe.encode("utf-8")
    assert not any(unsafe(c) for c in safe)


def test_printable_leaves_ordinary_text_alone() -> None:
    """Accents, scripts, dashes, emoji and a joiner inside an emoji stay as they are."""
    text = "Zelensky – Зеленський, Erdoğan, 👩‍⚖️ talks"
    assert printable(text) == text


def test_printable_writes_visible_escapes() -> None:
    """An ESC sequence and a newline become the text a person can read, not an action."""
    assert printable("a\nb\x1b[2J\u202e") == "a\\nb\\x1b[2J\\u202e"


wrappable = st.text(st.one_of(st.sampled_from("ab -\t\n.—\xa0\u3000"), st.characters()), max_size=80)


@given(wrappable, st.integers(1, 30))
def test_wrap_fills_lines_as_textwrap_does(text: str, width: int) -> None:
    """The wrapper gives exactly textwrap.wrap's lines: the same breaks at spaces, hyphens and long words."""
    assert wrap(text, width) == textwrap.wrap(text, width)


@given(st.text("ab-", min_size=1, max_size=400), st.integers(1, 12))
def test_wrap_breaks_long_words_as_textwrap_does(word: str, width: int) -> None:
    """A word many lines long, with hyphens anywhere, is broken where textwrap breaks it."""
    assert wrap(f"x {word} y", width) == textwrap.wrap(f"x {word} y", width)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_printable_json_is_the_same_json_and_safe_to_print(value: object) -> None:
    """printable_json keeps the JSON value and leaves no character a terminal acts on but its lines."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    safe = printable_json(text)
    assert json.loads(safe) == value
    assert not any(unsafe(c) for c in safe.replace("\n", ""))
