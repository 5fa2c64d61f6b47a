"""Tests for turning a memo's transcript into tags, notes, phase switches and bookmarks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase_tui.tags import normalise_tag
from phase_tui.voice.spoken_commands import (
    BookmarkAction,
    NoteAction,
    PhaseAction,
    SpokenAction,
    SpokenWords,
    TagAction,
    parse_spoken,
)

PHASES = ("builder", "remix", "Mix Down", "sound_design")
WORDS = SpokenWords()


def parse(text: str) -> list[SpokenAction]:
    return parse_spoken(text, WORDS, PHASES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tags, however Whisper writes them
        ("Tag, dark.", [TagAction("dark", "focus")]),
        ("Hashtag dark!", [TagAction("dark")]),
        ("hashtag dark", [TagAction("dark")]),
        ("tag Dark!", [TagAction("dark")]),
        ("#dark", [TagAction("dark")]),
        ("#Late_Night", [TagAction("late-night")]),
        ("Tag late-night.", [TagAction("late-night")]),
        ("tag late night", [TagAction("late")]),
        ("Tag: Ünïcode.", [TagAction("ünïcode")]),
        ("This one is #dark and #gritty.", [TagAction("dark"), TagAction("gritty")]),
        ("I think we should tag this dark, honestly.", []),
        ("Let's tag it with moody.", []),
        ("Tag.", []),
        ("tag", []),
        ("Tag. Dark.", []),
        ("#", []),
        # tag targets
        ("tag last bounce dark", [TagAction("dark", "last_bounce")]),
        ("Tag the last bounce, dark.", [TagAction("dark", "last_bounce")]),
        ("tag session dark", [TagAction("dark", "session")]),
        ("Tag this session: dark.", [TagAction("dark", "session")]),
        ("tag the session dark", [TagAction("dark", "session")]),
        ("Tag session.", []),
        ("Tag the last bounce.", []),
        # duplicates collapse, targets kept apart
        ("Tag dark. Hashtag DARK! #dark", [TagAction("dark")]),
        (
            "tag dark tag session dark",
            [TagAction("dark", "focus"), TagAction("dark", "session")],
        ),
        # notes
        ("Note: the kick is too muddy.", [NoteAction("the kick is too muddy")]),
        ("Note, the kick is too muddy!", [NoteAction("the kick is too muddy")]),
        ("note the Kick is too muddy", [NoteAction("the Kick is too muddy")]),
        ("NOTE: Check the 808 at 1:32?!", [NoteAction("Check the 808 at 1:32")]),
        ("Note to self, the snare needs room.", [NoteAction("the snare needs room")]),
        ("Note the bass, then the pads.", [NoteAction("the bass, then the pads")]),
        ("Note:\nthe kick\n is muddy.", [NoteAction("the kick is muddy")]),
        ("Okay, note the hats are harsh.", [NoteAction("the hats are harsh")]),
        ("So note the hats are harsh.", [NoteAction("the hats are harsh")]),
        ("I need to note that the kick is muddy.", []),
        ("Make a note of the tempo.", []),
        ("Note.", []),
        ("Note to self.", []),
        (
            "The mix is fine. Note: vocals too loud. Great.",
            [NoteAction("vocals too loud")],
        ),
        (
            "Note: the kick is muddy #dark.",
            [NoteAction("the kick is muddy #dark"), TagAction("dark")],
        ),
        # a punctuated note keeps command words mid-clause, stops at a command clause
        ("Note: we should tag dark later.", [NoteAction("we should tag dark later")]),
        ("Note: remember to bookmark the drop.", [NoteAction("remember to bookmark the drop")]),
        (
            "Note: the kick is too muddy, tag dark.",
            [NoteAction("the kick is too muddy"), TagAction("dark")],
        ),
        (
            "Note: the kick is muddy, and switch to remix.",
            [NoteAction("the kick is muddy"), PhaseAction("remix")],
        ),
        (
            "Note: go to the store, buy strings.",
            [NoteAction("go to the store, buy strings")],
        ),
        # without sentence punctuation a note stops before the next command
        (
            "note the kick is muddy tag dark bookmark this switch to remix",
            [
                NoteAction("the kick is muddy"),
                TagAction("dark"),
                BookmarkAction(),
                PhaseAction("remix"),
            ],
        ),
        (
            "note the bass is boomy and tag session dark",
            [NoteAction("the bass is boomy"), TagAction("dark", "session")],
        ),
        ("note go to the store", [NoteAction("go to the store")]),
        ("note I need to note that", [NoteAction("I need to note that")]),
        (
            "Tag dark. Note the kick is muddy bookmark",
            [TagAction("dark"), NoteAction("the kick is muddy"), BookmarkAction()],
        ),
        ("note and tag dark", [TagAction("dark")]),
        # phases
        ("Phase Builder.", [PhaseAction("builder")]),
        ("Switch to remix.", [PhaseAction("remix")]),
        ("go to REMIX", [PhaseAction("remix")]),
        ("Switch to the remix phase.", [PhaseAction("remix")]),
        ("Go to mix down.", [PhaseAction("Mix Down")]),
        ("Switch to mix-down.", [PhaseAction("Mix Down")]),
        ("Phase: sound design!", [PhaseAction("sound_design")]),
        ("Switch to guitar.", []),
        ("Go to the store.", []),
        ("Phase.", []),
        ("We should go to remix soon.", []),
        ("This phase builder thing is slow.", []),
        ("Okay, then switch to remix.", [PhaseAction("remix")]),
        # bookmarks
        ("Bookmark this.", [BookmarkAction()]),
        ("bookmark", [BookmarkAction()]),
        ("Bookmark. Bookmark that! bookmark it", [BookmarkAction()]),
        ("Can you bookmark this?", []),
        # several commands in one go, in the order spoken
        (
            "Switch to remix and tag dark, bookmark this.",
            [PhaseAction("remix"), TagAction("dark"), BookmarkAction()],
        ),
        (
            "hashtag gritty switch to builder bookmark this note the snare is late",
            [
                TagAction("gritty"),
                PhaseAction("builder"),
                BookmarkAction(),
                NoteAction("the snare is late"),
            ],
        ),
        (
            "Bookmark this. Note: kick too loud. Phase remix. #Dark #late_night",
            [
                BookmarkAction(),
                NoteAction("kick too loud"),
                PhaseAction("remix"),
                TagAction("dark"),
                TagAction("late-night"),
            ],
        ),
        (
            "Phase builder. Phase remix.",
            [PhaseAction("builder"), PhaseAction("remix")],
        ),
        # nothing to do
        ("", []),
        ("   ", []),
        ("...", []),
        ("The drop needs more energy.", []),
    ],
)
def test_parse_spoken(text: str, expected: list[SpokenAction]) -> None:
    assert parse(text) == expected


def test_configured_words_replace_the_defaults() -> None:
    words = SpokenWords(
        tag=("label",), note=("Remember:",), phase=("let's do",), bookmark=("pin it!",)
    )
    text = "Label dark. Remember: more reverb. Let's do remix. Pin it! Tag gritty. Note: x."
    assert parse_spoken(text, words, PHASES) == [
        TagAction("dark"),
        NoteAction("more reverb"),
        PhaseAction("remix"),
        BookmarkAction(),
    ]


def test_configured_words_are_matched_whatever_their_casing() -> None:
    words = SpokenWords(tag=("Mark As",), note=(), phase=(), bookmark=("",))
    assert parse_spoken("mark as Dark. Bookmark.", words, PHASES) == [TagAction("dark")]


def test_longest_phrase_wins() -> None:
    words = SpokenWords(phase=("go", "go to"))
    assert parse_spoken("Go to remix.", words, PHASES) == [PhaseAction("remix")]


def test_no_phases_means_no_phase_actions() -> None:
    assert parse_spoken("Switch to remix.", WORDS, ()) == []


@given(st.text())
def test_parse_spoken_never_raises_and_tags_are_clean(text: str) -> None:
    for action in parse(text):
        assert isinstance(action, TagAction | NoteAction | PhaseAction | BookmarkAction)
        if isinstance(action, TagAction):
            assert action.tag
            assert normalise_tag(action.tag) == action.tag
        if isinstance(action, NoteAction):
            assert action.text == action.text.strip()
            assert action.text


_VOCABULARY = st.sampled_from(
    [
        "tag",
        "hashtag",
        "note",
        "phase",
        "switch",
        "to",
        "go",
        "bookmark",
        "this",
        "session",
        "last",
        "bounce",
        "the",
        "and",
        "then",
        "remix",
        "builder",
        "dark",
        "#",
        "#x",
        ".",
        ",",
        ":",
        "!",
        "?",
        "\n",
        "é",
        "_",
    ]
)


@given(st.lists(_VOCABULARY, max_size=20).map(" ".join))
def test_parse_spoken_on_command_soup(text: str) -> None:
    actions = parse(text)
    assert len(actions) == len(set(actions))
    assert actions.count(BookmarkAction()) <= 1
    for action in actions:
        if isinstance(action, TagAction):
            assert action.tag and normalise_tag(action.tag) == action.tag
            assert action.target in {"focus", "last_bounce", "session"}
        if isinstance(action, PhaseAction):
            assert action.phase in PHASES
