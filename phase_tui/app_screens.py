"""The app's screens, made when first shown (their modules are imported then, after the
first paint), and the list of every remappable key binding for docs and `phase-os keys`.

The oracle, remix and recovery phases have screens of their own (the curator, the remix
browser, the digest viewer); any other phase gets the overview of its settings.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

ORACLE, REMIX, RECOVERY = "oracle", "remix", "recovery"  # phases with screens of their own


def bounces_screen() -> Screen[None]:
    """The bounce catalogue, imported when first shown."""
    from screens.bounces import BouncesScreen

    return BouncesScreen()


def builder_screen() -> Screen[None]:
    """The builder screen, imported when first shown."""
    from screens.builder import BuilderScreen

    return BuilderScreen()


def memos_screen() -> Screen[None]:
    """The memo screen, imported when first shown."""
    from screens.memos import MemosScreen

    return MemosScreen()


def digests_screen() -> Screen[None]:
    """The digest viewer, imported when first shown."""
    from screens.digests import DigestScreen

    return DigestScreen()


def tags_screen() -> Screen[None]:
    """The tag browser, imported when first shown."""
    from screens.tags import TagsScreen

    return TagsScreen()


def curator_screen() -> Screen[None]:
    """The curator, imported when first shown."""
    from screens.curator import CuratorScreen

    return CuratorScreen()


def remix_screen() -> Screen[None]:
    """The remix browser, imported when first shown."""
    from screens.remix import RemixScreen

    return RemixScreen()


def archives_screen() -> Screen[None]:
    """The archive browser, imported when first shown."""
    from screens.archives import ArchivesScreen

    return ArchivesScreen()


def phase_screen(phase: str) -> Screen[None]:
    """A phase's screen, imported when first shown (not before the first paint): the
    oracle's is the curator, the remix phase's the remix browser, recovery's the digest
    viewer; any other phase gets the overview of its settings and recent work."""
    if phase == ORACLE:
        from screens.curator import CuratorScreen

        return CuratorScreen(phase)
    if phase == REMIX:
        from screens.remix import RemixScreen

        return RemixScreen(phase)
    if phase == RECOVERY:
        from screens.digests import DigestScreen

        return DigestScreen(phase)
    from screens.phase import PhaseScreen

    return PhaseScreen(phase)


def describe_bindings() -> list[tuple[str, str, str]]:
    """(id, key, description) of every remappable binding, for docs and `phase-os keys`."""
    from screens.archives import ArchivesScreen
    from screens.bounce_detail import BounceDetailScreen
    from screens.bounces import BouncesScreen
    from screens.builder import BuilderScreen
    from screens.curator import CuratorScreen
    from screens.digests import DigestScreen
    from screens.memos import MemosScreen
    from screens.remix import RemixScreen
    from screens.tags import TagsScreen
    from widgets.waveform import Waveform

    rows = []
    screens = (
        BouncesScreen,
        BounceDetailScreen,
        Waveform,
        BuilderScreen,
        MemosScreen,
        TagsScreen,
        DigestScreen,
        CuratorScreen,
        RemixScreen,
        ArchivesScreen,
    )
    from phase_tui.app import PhaseOSApp

    for binding in (*PhaseOSApp.BINDINGS, *(b for s in screens for b in s.BINDINGS)):
        if not isinstance(binding, Binding) or binding.id is None:
            continue  # not remappable (escape and the like)
        rows.append((binding.id, binding.key, binding.description))
    return rows
