"""Spoken commands: the tags, notes, phase switches and bookmarks a memo's transcript asks for.

Whisper punctuates and capitalises as it likes, so words are compared casefolded and
punctuation only matters as a boundary. The rules:

* `#word` anywhere is a tag on the item in focus.
* A tag phrase anywhere, followed by one word, is a tag ("Tag, dark.", "hashtag Dark!");
  "tag (the) last bounce dark" and "tag (this/the) session dark" pick another target. A tag
  phrase followed by nothing, or by a filler such as "it" or "this", is ignored.
* The other phrases count only where a command can start: at the start of a sentence or of
  a clause (after `, ; :` or a dash), right after another command, or after a connector
  ("and", "then", "okay", ...) standing in such a place. "I need to note that" is no note.
* A note phrase takes the rest of its sentence, original casing kept, closing punctuation
  dropped. It stops early before a tag, phase or bookmark command that starts a clause, and,
  in a sentence Whisper left without closing punctuation, before any such command at all.
  Words inside a note are note text, except `#words`, which still tag.
* A phase phrase followed by a known phase name ("switch to the Remix phase") switches;
  unknown names are ignored.
* A bookmark phrase ("bookmark", "bookmark this") bookmarks; several collapse to one, as do
  identical tags.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from phase_tui.tags import normalise_tag


@dataclass(frozen=True)
class SpokenWords:
    """The phrases that trigger each command (any casing, may be several words)."""

    tag: tuple[str, ...] = ("tag", "hashtag")
    note: tuple[str, ...] = ("note",)
    phase: tuple[str, ...] = ("phase", "switch to", "go to")
    bookmark: tuple[str, ...] = ("bookmark",)


@dataclass(frozen=True)
class TagAction:
    """Put `tag` on `target`: "focus" (the item in focus), "last_bounce" or "session"."""

    tag: str
    target: str = "focus"


@dataclass(frozen=True)
class NoteAction:
    """Write `text` (as spoken, trimmed, closing punctuation dropped) to the scratchpad."""

    text: str


@dataclass(frozen=True)
class PhaseAction:
    """Switch to `phase`, spelt as configured."""

    phase: str


@dataclass(frozen=True)
class BookmarkAction:
    """Link the memo to the latest bounce."""


SpokenAction = TagAction | NoteAction | PhaseAction | BookmarkAction

_TOKENS = re.compile(
    r"(?P<word>#*\w[\w'’-]*)|(?P<stop>[.!?…]+)(?!\w)|(?P<clause>[,;:—–()\"“”]|\s-+\s)"
)
_CONNECTORS = frozenset({"and", "then", "also", "so", "okay", "ok", "now", "please", "um", "uh"})
_NOT_TAGS = frozenset({"a", "an", "the", "it", "this", "that", "them", "and", "then", "to"})
_TARGETS = (
    (("the", "last", "bounce"), "last_bounce"),
    (("last", "bounce"), "last_bounce"),
    (("this", "session"), "session"),
    (("the", "session"), "session"),
    (("session",), "session"),
)
_BOOKMARK_OBJECTS = frozenset({"this", "that", "it", "here"})
_TO_SELF = ("to", "self")


@dataclass(frozen=True)
class _Token:
    text: str
    key: str
    start: int
    end: int
    opens_clause: bool


@dataclass(frozen=True)
class _Sentence:
    tokens: list[_Token]
    closed: bool
    """Whisper ended it with `. ! ?`."""


def parse_spoken(text: str, words: SpokenWords, phases: Sequence[str]) -> list[SpokenAction]:
    """The actions `text` speaks, in the order spoken, duplicates collapsed."""
    parser = _Parser(text, words, phases)
    actions: list[SpokenAction] = []
    for sentence in _sentences(text):
        actions += parser.sentence(sentence)
    return list(dict.fromkeys(actions))


def _sentences(text: str) -> Iterator[_Sentence]:
    tokens: list[_Token] = []
    opens_clause = True
    for match in _TOKENS.finditer(text):
        if match.lastgroup == "word":
            word = match.group()
            tokens.append(_Token(word, _key(word), match.start(), match.end(), opens_clause))
            opens_clause = False
        elif match.lastgroup == "clause":
            opens_clause = True
        else:
            if tokens:
                yield _Sentence(tokens, closed=True)
            tokens, opens_clause = [], True
    if tokens:
        yield _Sentence(tokens, closed=False)


def _phrases(phrases: Sequence[str]) -> list[tuple[str, ...]]:
    """Each phrase as its word keys, longest first, empty ones dropped."""
    keyed = {
        tuple(_key(m.group()) for m in _TOKENS.finditer(phrase) if m.lastgroup == "word")
        for phrase in phrases
    }
    return sorted((phrase for phrase in keyed if phrase), key=len, reverse=True)


def _key(word: str) -> str:
    """What a word is compared by: casing and Unicode spelling ignored."""
    return unicodedata.normalize("NFC", word).casefold()


_Found = tuple[list[SpokenAction], int]
"""The actions a command speaks and the index of the word after it."""


class _Parser:
    """Reads one transcript sentence by sentence."""

    def __init__(self, text: str, words: SpokenWords, phases: Sequence[str]) -> None:
        self.text = text
        self.tag = _phrases(words.tag)
        self.note = _phrases(words.note)
        self.phase = _phrases(words.phase)
        self.bookmark = _phrases(words.bookmark)
        self.phases = {normalise_tag(name): name for name in phases if normalise_tag(name)}
        self.longest_phase = max((key.count("-") + 1 for key in self.phases), default=0)

    def sentence(self, sentence: _Sentence) -> list[SpokenAction]:
        tokens = sentence.tokens
        actions: list[SpokenAction] = []
        index, free, after_command = 0, True, 0
        while index < len(tokens):
            free = (
                tokens[index].opens_clause
                or index == after_command
                or (free and tokens[index - 1].key in _CONNECTORS)
            )
            found = self._hashtag(tokens, index) or self._tag(tokens, index)
            if found is None and free:
                found = self._note(sentence, index) or self._other(tokens, index)
            if found is None:
                index += 1
                continue
            done, index = found
            actions += done
            after_command = index
        return actions

    def _other(self, tokens: list[_Token], index: int) -> _Found | None:
        """A phase or bookmark command starting at `index`."""
        return self._phase(tokens, index) or self._bookmark(tokens, index)

    def _hashtag(self, tokens: list[_Token], index: int) -> _Found | None:
        tag = _hashtag(tokens[index])
        return ([TagAction(tag)], index + 1) if tag else None

    def _tag(self, tokens: list[_Token], index: int) -> _Found | None:
        after = _match(tokens, index, self.tag)
        if after is None:
            return None
        target = "focus"
        for words, name in _TARGETS:
            end = _match(tokens, after, [words])
            if end is not None:
                after, target = end, name
                break
        if after >= len(tokens) or tokens[after].key in _NOT_TAGS:
            return None
        tag = normalise_tag(tokens[after].text)
        return ([TagAction(tag, target)], after + 1) if tag else None

    def _phase(self, tokens: list[_Token], index: int) -> _Found | None:
        after = _match(tokens, index, self.phase)
        if after is None:
            return None
        starts = [after]
        if after < len(tokens) and tokens[after].key == "the":
            starts.append(after + 1)
        for start in starts:
            for end in range(min(start + self.longest_phase, len(tokens)), start, -1):
                spoken = normalise_tag(" ".join(token.text for token in tokens[start:end]))
                if spoken in self.phases:
                    if end < len(tokens) and tokens[end].key == "phase":
                        end += 1
                    return [PhaseAction(self.phases[spoken])], end
        return None

    def _bookmark(self, tokens: list[_Token], index: int) -> _Found | None:
        after = _match(tokens, index, self.bookmark)
        if after is None:
            return None
        if after < len(tokens) and tokens[after].key in _BOOKMARK_OBJECTS:
            after += 1
        return [BookmarkAction()], after

    def _note(self, sentence: _Sentence, index: int) -> _Found | None:
        tokens = sentence.tokens
        start = _match(tokens, index, self.note)
        if start is None:
            return None
        start = _match(tokens, start, [_TO_SELF]) or start
        end = self._note_end(sentence, start)
        last = end
        if end < len(tokens):
            while last > start and tokens[last - 1].key in _CONNECTORS:
                last -= 1
        if last == start:
            return None
        body = " ".join(self.text[tokens[start].start : tokens[last - 1].end].split())
        tags = [TagAction(tag) for tag in map(_hashtag, tokens[start:end]) if tag]
        return [NoteAction(body), *tags], end

    def _note_end(self, sentence: _Sentence, start: int) -> int:
        """Where the note starting at `start` stops: before the first command allowed to cut
        it short, else at the end of the sentence."""
        tokens = sentence.tokens
        free = False
        for index in range(start + 1, len(tokens)):
            free = tokens[index].opens_clause or (free and tokens[index - 1].key in _CONNECTORS)
            if (free or not sentence.closed) and (
                self._tag(tokens, index) or self._other(tokens, index)
            ):
                return index
        return len(tokens)


def _hashtag(token: _Token) -> str:
    """The tag a `#word` token spells, "" for any other word."""
    return normalise_tag(token.text) if token.text.startswith("#") else ""


def _match(tokens: list[_Token], index: int, phrases: list[tuple[str, ...]]) -> int | None:
    """The index after the first of `phrases` spoken at `index`, if any."""
    for phrase in phrases:
        end = index + len(phrase)
        if end <= len(tokens) and all(
            token.key == word for token, word in zip(tokens[index:end], phrase, strict=True)
        ):
            return end
    return None
