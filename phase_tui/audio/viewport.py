"""What part of a waveform is on screen, where its cursor is, and what is selected.

Pure and immutable: every move returns a new `Viewport`, which the waveform widget keeps
and draws, and which the slicer reads its region from. Times are in seconds; the view
never leaves [0, duration], and the cursor stays in view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIN_SPAN_S = 0.05  # the closest zoom: 50 ms across the whole width


@dataclass(frozen=True)
class Viewport:
    """A window of `span_s` seconds from `start_s` onto audio of `duration_s`, a cursor,
    and a selection from `anchor_s` to the cursor (None: nothing selected)."""

    duration_s: float
    start_s: float = 0.0
    span_s: float = 0.0  # 0: the whole duration
    cursor_s: float = 0.0
    anchor_s: float | None = None

    def __post_init__(self) -> None:
        duration = max(self.duration_s, 0.0)
        span = self.span_s if self.span_s > 0 else duration
        span = min(max(span, min(MIN_SPAN_S, duration)), duration)
        cursor = min(max(self.cursor_s, 0.0), duration)
        start = min(max(self.start_s, 0.0), duration - span)
        if cursor < start:  # keep the cursor in view
            start = cursor
        elif cursor > start + span:
            start = cursor - span
        for name, value in (("duration_s", duration), ("span_s", span), ("start_s", start)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "cursor_s", cursor)
        if self.anchor_s is not None:
            object.__setattr__(self, "anchor_s", min(max(self.anchor_s, 0.0), duration))

    @property
    def end_s(self) -> float:
        return self.start_s + self.span_s

    @property
    def selection(self) -> tuple[float, float] | None:
        """(start_s, end_s) of the selected region, None when nothing (or nothing wide) is."""
        if self.anchor_s is None or self.anchor_s == self.cursor_s:
            return None
        return min(self.anchor_s, self.cursor_s), max(self.anchor_s, self.cursor_s)

    def moved(self, delta_s: float) -> Viewport:
        """The cursor moved by `delta_s`; the selection is dropped."""
        return replace(self, cursor_s=self.cursor_s + delta_s, anchor_s=None)

    def selecting(self, delta_s: float) -> Viewport:
        """The cursor moved by `delta_s`, extending the selection from where it started."""
        anchor = self.cursor_s if self.anchor_s is None else self.anchor_s
        return replace(self, cursor_s=self.cursor_s + delta_s, anchor_s=anchor)

    def jumped(self, to_s: float) -> Viewport:
        """The cursor put at `to_s` (home: 0, end: the duration); the selection dropped."""
        return replace(self, cursor_s=to_s, anchor_s=None)

    def zoomed(self, factor: float) -> Viewport:
        """The span times `factor` (< 1 zooms in) around the cursor, which keeps its place
        on screen."""
        span = self.span_s * factor
        place = (self.cursor_s - self.start_s) / self.span_s if self.span_s else 0.0
        return replace(self, span_s=span, start_s=self.cursor_s - place * span)

    def scrolled(self, pages: float) -> Viewport:
        """The view moved by `pages` widths; the cursor moves along with it."""
        delta = pages * self.span_s
        return replace(self, start_s=self.start_s + delta, cursor_s=self.cursor_s + delta)

    def cleared(self) -> Viewport:
        """The same view with nothing selected."""
        return replace(self, anchor_s=None)
