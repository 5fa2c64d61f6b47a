"""Tests for phase_tui.config: defaults, the commented template, and every kind of error."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from phase_tui.config import (
    SECTIONS,
    Config,
    ConfigError,
    PhaseSettings,
    default_config,
    default_config_text,
    load_config,
    load_config_text,
)
from phase_tui.config.schema import APP, PHASE_FIELDS
from phase_tui.config.settings import PHASE_PALETTE

FILE = Path("/studio/phase_os.toml")


def error_of(text: str, path: Path | None = FILE) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, path)
    return caught.value


# ------------------------------------------------------------------ defaults and template
def test_default_config_values() -> None:
    config = default_config()
    assert config.path is None
    assert (config.theme, config.idle_gap_hours, config.week_starts_on, config.clock_24h) == (
        "textual-dark",
        4.0,
        "monday",
        True,
    )
    assert config.phase_names == ("oracle", "builder", "remix", "recovery")
    assert config.default_phase == "oracle"
    assert dict(config.keys) == {}
    assert [p.colour for p in config.phases] == ["#b48ead", "#ebcb8b", "#88c0d0", "#a3be8c"]
    assert [p.key for p in config.phases] == ["1", "2", "3", "4"]
    assert [p.next for p in config.phases] == ["builder", "remix", "recovery", "oracle"]
    assert config.phase("oracle").description == "Curate samples: approve, reject, slice."
    assert config.phase("oracle").tasks[0] == "Import a crate"
    assert config.phase("builder").leave_after_bounces == 2
    for phase in config.phases:
        assert phase.on_enter == () and phase.on_exit == ()
        assert phase.payload_timeout_s == 10.0
        assert phase.leave_after_minutes == 0.0
        if phase.name != "builder":
            assert phase.leave_after_bounces == 0


def test_config_phase_lookup_and_immutability() -> None:
    config = default_config()
    assert config.phase("remix").colour == "#88c0d0"
    with pytest.raises(KeyError):
        config.phase("mastering")
    with pytest.raises(TypeError):
        config.keys["quit"] = "x"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.theme = "nord"  # type: ignore[misc]
    assert hash(config) == hash(load_config_text(""))


def test_default_text_round_trips_to_default_config() -> None:
    loaded = load_config_text(default_config_text(), FILE)
    assert loaded == dataclasses.replace(default_config(), path=FILE)
    assert loaded.path == FILE


def test_default_text_has_every_setting_with_a_comment_above() -> None:
    text = default_config_text()
    data = tomllib.loads(text)
    assert set(data) == {section.name for section in SECTIONS}
    assert set(data["app"]) == {spec.name for spec in APP.fields}
    assert set(data["phases"]) == {"order", "default", "oracle", "builder", "remix", "recovery"}
    for name in ("oracle", "builder", "remix", "recovery"):
        assert set(data["phases"][name]) == {spec.name for spec in PHASE_FIELDS}
    assert data["keys"] == {}
    assert '# next_phase = "n"' in text
    assert "phase-os keys" in text
    lines = text.splitlines()
    settings = [i for i, line in enumerate(lines) if line and line[0].isalpha() and " = " in line]
    plain = sum(len(section.fields) for section in SECTIONS if section.name != "phases")
    assert len(settings) == plain + 2 + 4 * len(PHASE_FIELDS)
    for index in settings:
        assert lines[index - 1].startswith("# "), lines[index]
    assert 'e.g. [["notify-send", "Phase OS", "entered"]]' in text


def test_schema_matches_the_dataclasses() -> None:
    phase_attrs = {f.name for f in dataclasses.fields(PhaseSettings)} - {"name"}
    assert {spec.name for spec in PHASE_FIELDS} == phase_attrs
    config_attrs = {f.name for f in dataclasses.fields(Config)}
    assert {spec.name for spec in APP.fields} <= config_attrs
    for section in SECTIONS:
        for spec in section.fields:
            if spec.default is not None:
                assert (
                    spec.kind.convert(
                        list(spec.default) if isinstance(spec.default, tuple) else spec.default
                    )
                    == spec.default
                )


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "phase_os.toml") == default_config()


def test_load_config_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "phase_os.toml"
    path.write_text('[app]\ntheme = "nord"\n', encoding="utf-8")
    config = load_config(path)
    assert config.path == path
    assert config.theme == "nord"


def test_partial_file_keeps_defaults_for_the_rest() -> None:
    config = load_config_text('[app]\nidle_gap_hours = 2\n\n[keys]\nnext_phase = "n"\n', FILE)
    assert config.idle_gap_hours == 2.0 and isinstance(config.idle_gap_hours, float)
    assert config.theme == "textual-dark"
    assert config.week_starts_on == "monday"
    assert dict(config.keys) == {"next_phase": "n"}
    assert config.phases == default_config().phases


def test_partial_phase_table_keeps_builtin_values() -> None:
    config = load_config_text(
        '[phases.builder]\ncolour = "#123456"\n\n'
        "[phases.oracle]\nleave_after_minutes = 45\n\n"
        '[phases.mixdown]\ndescription = "Balance"\n',
        FILE,
    )
    # order omitted: the built-in phases, then new phase tables in file order
    assert config.phase_names == ("oracle", "builder", "remix", "recovery", "mixdown")
    oracle, builder = config.phases[:2]
    assert builder.colour == "#123456"
    assert oracle.key == "1" and builder.key == "2" and config.phase("mixdown").key == "5"
    assert builder.description.startswith("Arrange")
    assert builder.leave_after_bounces == 2
    assert builder.next == "remix"
    assert oracle.next == "builder"
    assert oracle.leave_after_minutes == 45.0
    assert config.default_phase == "oracle"


def test_phase_in_order_without_table_gets_defaults() -> None:
    config = load_config_text(
        '[phases]\norder = ["oracle", "builder", "remix", "recovery", "mixdown"]\n', FILE
    )
    mixdown = config.phase("mixdown")
    assert mixdown.colour == PHASE_PALETTE[4]
    assert mixdown.key == "5"
    assert mixdown.description == "" and mixdown.tasks == ()
    assert mixdown.next is None
    assert config.phase("oracle") == default_config().phase("oracle")


def test_week_start_and_payloads_are_normalised() -> None:
    config = load_config_text(
        '[app]\nweek_starts_on = "Sunday"\n[phases]\norder = ["oracle"]\n'
        '[phases.oracle]\non_enter = [["notify-send", "Phase OS", "oracle"], ["true"]]\n'
        'next = ""\n',
        FILE,
    )
    assert config.week_starts_on == "sunday"
    assert config.phase("oracle").on_enter == (("notify-send", "Phase OS", "oracle"), ("true",))
    assert config.phase("oracle").next is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("#ABC", "#aabbcc"),
        ("#B48EAD", "#b48ead"),
        ("#0f0", "#00ff00"),
        ("#a1b2c3", "#a1b2c3"),
    ],
)
def test_colour_normalisation(given: str, stored: str) -> None:
    config = load_config_text(f'[phases.oracle]\ncolour = "{given}"\n', FILE)
    assert config.phase("oracle").colour == stored


@pytest.mark.parametrize("bad", ["red", "#abcd", "#ggg", "b48ead", "#b48ead0"])
def test_bad_colour_is_an_error(bad: str) -> None:
    error = error_of(f'[phases.oracle]\n\ncolour = "{bad}"\n')
    assert str(error) == (
        f'{FILE} line 3: `phases.oracle.colour` expects a colour "#rrggbb" '
        f'or "#rgb", found string "{bad}"'
    )


# ------------------------------------------------------------------ errors
def test_type_error_names_file_line_key_expected_and_found() -> None:
    error = error_of('[app]\ntheme = "nord"\n\nidle_gap_hours = "four"\n')
    assert str(error) == (
        f'{FILE} line 4: `app.idle_gap_hours` expects a number > 0, found string "four"'
    )
    assert (error.path, error.line, error.key) == (FILE, 4, "app.idle_gap_hours")
    assert error.problems == [str(error)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("idle_gap_hours = true", "`app.idle_gap_hours` expects a number > 0, found boolean true"),
        ("idle_gap_hours = 0", "`app.idle_gap_hours` expects a number > 0, found integer 0"),
        ("idle_gap_hours = -1.5", "`app.idle_gap_hours` expects a number > 0, found number -1.5"),
        ("idle_gap_hours = inf", "`app.idle_gap_hours` expects a number > 0, found number inf"),
        ("clock_24h = 1", "`app.clock_24h` expects true or false, found integer 1"),
        ('theme = ""', '`app.theme` expects a non-empty string, found string ""'),
        (
            'week_starts_on = "funday"',
            '`app.week_starts_on` expects one of "monday", "tuesday", '
            '"wednesday", "thursday", "friday", "saturday", "sunday", found string "funday"',
        ),
    ],
)
def test_app_type_errors(line: str, message: str) -> None:
    assert str(error_of(f"[app]\n{line}\n")) == f"{FILE} line 2: {message}"


def test_waveform_and_art_settings() -> None:
    config = load_config_text('[waveform]\nstyle = "Blocks"\n\n[art]\nauto = true\nwidth = 800\n')
    assert config.waveform.style == "blocks"
    assert (config.art.auto, config.art.width, config.art.height) == (True, 800, 900)
    assert str(error_of('[waveform]\nstyle = "dots"\n')) == (
        f'{FILE} line 2: `waveform.style` expects one of "braille", "blocks", found string "dots"'
    )
    assert str(error_of("[art]\nheight = 10\n")) == (
        f"{FILE} line 2: `art.height` expects a whole number >= 90, found integer 10"
    )


def test_templates_of_ones_own_in_builder_tables() -> None:
    config = load_config_text(
        '[builder]\ntemplate = "LoFi"\n\n[builder.lofi]\n'
        'roles = ["intro", "verse", "chorus", "verse", "chorus", "outro"]\n'
        'peak = "chorus"\nenergy = { chorus = 8, verse = 5 }\ninstruments = ["rhodes"]\n'
    )
    lofi = config.builder.templates["lofi"]
    assert config.builder.template == "lofi"  # as spelled where it is defined
    assert lofi.roles_for(4) == ("intro", "verse", "chorus", "outro")
    assert lofi.energy["chorus"] == 8 and lofi.instruments == ("rhodes",)
    problems = error_of(
        '[builder.a]\nroles = ["intro", "solo"]\n\n[builder.b]\nroles = ["intro"]\n'
        'peak = "drop"\n\n[builder.c]\npeak = "drop"\n\n[builder.d]\nroles = ["drop"]\n'
        "energy = { drop = 11 }\n"
    ).problems
    assert problems == [
        f"{FILE} line 2: `builder.a.roles[1]` expects one of intro, verse, build, chorus, "
        'drop, breakdown, bridge, outro, found string "solo"',
        f'{FILE} line 6: `builder.b.peak` is "drop", not one of its roles (intro)',
        f"{FILE} line 8: `[builder.c]` needs `roles`, the plan in order",
        f"{FILE} line 13: `builder.d.energy[drop]` expects a table of role = whole number "
        "1..10, found integer 11",
    ]


def test_a_builder_tempo_range_without_a_whole_bpm_names_the_line() -> None:
    text = "[builder]\ntempo_min_bpm = 130\ntempo_max_bpm = 120\n"
    assert str(error_of(text)) == (
        f"{FILE} line 3: `builder.tempo_min_bpm` (130) to `builder.tempo_max_bpm` (120) "
        "holds no whole bpm: the fastest must be at least the slowest"
    )
    assert str(error_of("[builder]\ntempo_min_bpm = 128.5\n")).startswith(f"{FILE} line 2: ")
    assert load_config_text("[builder]\ntempo_min_bpm = 120\ntempo_max_bpm = 120\n")


def test_ints_are_accepted_where_floats_are_expected_but_not_the_reverse() -> None:
    config = load_config_text("[phases.remix]\npayload_timeout_s = 3\nleave_after_minutes = 0\n")
    assert config.phase("remix").payload_timeout_s == 3.0
    error = error_of("[phases.remix]\nleave_after_bounces = 2.0\n")
    assert str(error) == (
        f"{FILE} line 2: `phases.remix.leave_after_bounces` expects a whole "
        "number >= 0, found number 2.0"
    )
    error = error_of("[phases.remix]\nleave_after_minutes = -1\n")
    assert "`phases.remix.leave_after_minutes` expects a number >= 0, found integer -1" in str(
        error
    )


def test_unknown_key_names_the_known_ones_and_suggests() -> None:
    error = error_of('[app]\ntheme = "nord"\nthemee = "x"\n')
    assert str(error) == (
        f"unknown key `app.themee` in {FILE} line 3 (known: theme, idle_gap_hours, "
        "week_starts_on, clock_24h); did you mean `theme`?"
    )
    assert (error.line, error.key) == (3, "app.themee")


def test_unknown_key_without_close_match_has_no_suggestion() -> None:
    message = str(error_of("[app]\nzzz = 1\n"))
    assert message.startswith(f"unknown key `app.zzz` in {FILE} line 2 (known: theme,")
    assert "did you mean" not in message


def test_unknown_phase_key_suggests_colour_for_color() -> None:
    message = str(error_of('[phases]\norder = ["oracle"]\n\n[phases.oracle]\ncolor = "#fff"\n'))
    assert message.startswith(
        f"unknown key `phases.oracle.color` in {FILE} line 5 (known: colour, key, description,"
    )
    assert message.endswith("did you mean `colour`?")


def test_unknown_section_suggests_a_close_one() -> None:
    error = error_of('[app]\ntheme = "nord"\n\n[kyes]\nquit = "q"\n')
    assert str(error) == (
        f"unknown section `[kyes]` in {FILE} line 4 (known: app, phases, "
        "keys, watch, waveform, art, builder, memo, digest, mail, oracle, api); "
        "did you mean `[keys]`?"
    )


def test_top_level_setting_suggests_its_section() -> None:
    error = error_of('theme = "nord"\n')
    assert str(error) == (
        f"unknown key `theme` in {FILE} line 1 (known: app, phases, keys, watch, waveform, art, "
        "builder, memo, digest, mail, oracle, api); "
        "did you mean `app.theme` (under [app])?"
    )


def test_section_must_be_a_table() -> None:
    assert str(error_of('app = "dark"\n')) == (
        f'{FILE} line 1: `app` expects a table ([app]), found string "dark"'
    )


def test_syntax_error_names_line_and_column() -> None:
    error = error_of('[app]\ntheme = "nord"\nidle_gap_hours = = 3\n')
    assert str(error).startswith(f"{FILE} line 3: invalid TOML: ")
    assert "(column 18)" in str(error)
    assert "at line" not in str(error)
    assert error.line == 3 and error.key is None


def test_syntax_error_at_the_end_of_the_file() -> None:
    error = error_of('[app]\ntheme = "nord"\nclock_24h = [true,\n')
    assert str(error).startswith(f"{FILE} line 3: invalid TOML: ")
    assert error.line == 3


def test_duplicate_toml_key_is_a_syntax_error() -> None:
    error = error_of('[app]\ntheme = "a"\ntheme = "b"\n')
    assert str(error).startswith(f"{FILE} line 3: invalid TOML: ")


def test_text_without_path_is_named_as_the_settings_file() -> None:
    assert str(error_of("[app]\nclock_24h = 2\n", path=None)) == (
        "phase_os.toml line 2: `app.clock_24h` expects true or false, found integer 2"
    )


def test_phase_table_not_in_order_is_an_error() -> None:
    error = error_of('[phases]\norder = ["oracle", "builder"]\n\n[phases.remixx]\nkey = "9"\n')
    assert str(error) == (
        f"{FILE} line 4: `[phases.remixx]` is not in `phases.order` (oracle, builder); "
        'add "remixx" to the order or remove the table'
    )
    assert error.key == "phases.remixx"


def test_phase_table_not_in_order_suggests_a_close_name() -> None:
    message = str(error_of('[phases]\norder = ["oracle", "remix"]\n[phases.remx]\n'))
    assert message.endswith("did you mean `[phases.remix]`?")


def test_two_phases_with_one_key_name_both() -> None:
    text = (
        '[phases]\norder = ["oracle", "builder", "remix"]\n\n'
        '[phases.remix]\ndescription = "x"\nkey = "1"\n'
    )
    error = error_of(text)
    assert str(error) == (
        f'{FILE} line 6: phases `oracle` and `remix` both use the key "1"; '
        "give each phase its own `key`"
    )
    assert error.key == "phases.remix.key"


def test_three_phases_with_one_key() -> None:
    text = (
        '[phases]\norder = ["a", "b", "c"]\n[phases.a]\nkey = "x"\n'
        '[phases.b]\nkey = "x"\n[phases.c]\nkey = "x"\n'
    )
    assert 'phases `a`, `b` and `c` both use the key "x"' in str(error_of(text))


def test_payload_as_a_shell_string_is_an_error() -> None:
    error = error_of('[phases.oracle]\non_enter = "notify-send Phase OS"\n')
    message = str(error)
    assert message.startswith(
        f"{FILE} line 2: `phases.oracle.on_enter` expects a list of commands, each an argument list"
    )
    assert 'found string "notify-send Phase OS"' in message
    assert 'argument list, e.g. ["notify-send", "Phase OS"]' in message
    assert error.key == "phases.oracle.on_enter"


def test_payload_with_a_string_command_is_an_error() -> None:
    message = str(error_of('[phases.oracle]\non_exit = ["notify-send", "bye"]\n'))
    assert message == (
        f"{FILE} line 2: `phases.oracle.on_exit[0]` expects an argument list, "
        'e.g. ["notify-send", "Phase OS"], found string "notify-send"'
    )


@pytest.mark.parametrize(
    ("value", "shown", "expects"),
    [
        ("[[]]", "[0]", 'an argument list, e.g. ["notify-send", "Phase OS"], found array []'),
        ('[["ls"], ["echo", 3]]', "[1][1]", "a string, found integer 3"),
        ('[[""]]', "[0][0]", 'a non-empty string, found string ""'),
    ],
)
def test_payload_element_errors(value: str, shown: str, expects: str) -> None:
    assert str(error_of(f"[phases.remix]\non_enter = {value}\n")) == (
        f"{FILE} line 2: `phases.remix.on_enter{shown}` expects {expects}"
    )


def test_next_must_be_another_configured_phase() -> None:
    text = (
        '[phases]\norder = ["oracle", "builder"]\n[phases.oracle]\nnext = "buildr"\n'
        '[phases.builder]\nnext = "builder"\n'
    )
    error = error_of(text)
    assert error.problems == [
        f'{FILE} line 4: `phases.oracle.next` is "buildr", not a configured phase '
        "(phases: oracle, builder); did you mean `builder`?",
        f'{FILE} line 6: `phases.builder.next` is "builder", the phase itself '
        "(phases: oracle, builder); did you mean `builder`?",
    ]


def test_default_phase_must_be_configured() -> None:
    error = error_of('[phases]\norder = ["oracle", "remix"]\ndefault = "remx"\n')
    assert str(error) == (
        f'{FILE} line 3: `phases.default` is "remx", not a configured phase '
        "(phases: oracle, remix); did you mean `remix`?"
    )


def test_phase_names_are_checked() -> None:
    message = str(error_of('[phases]\norder = ["oracle", "Mix"]\n'))
    assert message == (
        f"{FILE} line 2: `phases.order[1]` expects a phase name (lowercase "
        'letters, digits, "-" or "_", starting with a letter), found string "Mix"'
    )
    message = str(error_of('[phases]\norder = ["oracle", "oracle"]\n'))
    assert message == (
        f'{FILE} line 2: `phases.order[1]` expects each phase once, found string "oracle"'
    )
    message = str(error_of('[phases."2nd"]\nkey = "x"\n'))
    assert message.startswith(f"{FILE} line 1: `[phases.2nd]`: the name expects a phase name")


def test_keys_values_must_be_non_empty_strings() -> None:
    error = error_of('[keys]\nquit = "q"\nhelp = ""\npalette = 3\n')
    assert error.problems == [
        f'{FILE} line 3: `keys.help` expects a non-empty string, found string ""',
        f"{FILE} line 4: `keys.palette` expects a non-empty string, found integer 3",
    ]


def test_all_problems_are_collected_in_line_order() -> None:
    text = (
        '[keys]\nquit = 1\n\n[app]\nclock_24h = "yes"\nthme = "x"\n\n'
        '[phases.oracle]\ncolour = "blue"\n'
    )
    error = error_of(text)
    assert len(error.problems) == 4
    assert [p.split(" line ")[1].split(":")[0].split(" ")[0] for p in error.problems] == [
        "2",
        "5",
        "6",
        "9",
    ]
    assert str(error) == "\n".join(error.problems)
    assert str(error).splitlines()[0].startswith(str(FILE))
    assert (error.line, error.key) == (2, "keys.quit")


# ------------------------------------------------------------------ locating keys
def test_dotted_keys_at_top_level_are_located() -> None:
    text = '# settings\n\napp.theme = "nord"\nphases.oracle.colour = "#12"\n'
    assert str(error_of(text)) == (
        f"{FILE} line 4: `phases.oracle.colour` expects a colour "
        '"#rrggbb" or "#rgb", found string "#12"'
    )


def test_inline_table_errors_are_reported_at_the_holding_key() -> None:
    text = '[phases]\norder = ["oracle"]\noracle = { key = "1", colour = 5 }\n'
    assert str(error_of(text)).startswith(f"{FILE} line 3: `phases.oracle.colour` expects")


def test_multiline_values_do_not_confuse_the_locator() -> None:
    text = (
        "[phases.oracle]\n"
        "tasks = [\n"
        '  "key = not a key",\n'
        '  "[app]",\n'
        "]\n"
        'description = """\n'
        'colour = "not a key either"\n'
        "[keys]\n"
        '"""\n'
        'colour = "nope"\n'
    )
    assert str(error_of(text)).startswith(f"{FILE} line 10: `phases.oracle.colour` expects")


def test_quoted_keys_and_comments_are_located() -> None:
    text = '[app]  # look\n"theme" = "x"  # a [comment] = 1\n\'clock_24h\' = "no"\n'
    assert str(error_of(text)) == (
        f'{FILE} line 3: `app.clock_24h` expects true or false, found string "no"'
    )


# ------------------------------------------------------------------ reading files
def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    folder = tmp_path / "phase_os.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert str(caught.value).startswith(f"{folder}: can not read the settings: ")
    assert caught.value.path == folder


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "phase_os.toml"
    path.write_bytes(b'[app]\ntheme = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path} line 2: not UTF-8 text")
    assert caught.value.line == 2


def test_broken_file_on_disk_names_it(tmp_path: Path) -> None:
    path = tmp_path / "phase_os.toml"
    path.write_text("[app]\nidle_gap_hours = -4\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path} line 2: `app.idle_gap_hours` expects a number > 0, found integer -4"
    )


def test_written_template_loads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "phase_os.toml"
    path.write_text(default_config_text(), encoding="utf-8")
    assert load_config(path) == dataclasses.replace(default_config(), path=path)


def test_watch_section(tmp_path: Path) -> None:
    """[watch] is a plain schema section: defaults, checks and resolution of folders."""
    from phase_tui.loop.ignore import DEFAULT_IGNORE

    defaults = default_config().watch
    assert defaults.folders == ("bounces",) and defaults.ignore == DEFAULT_IGNORE
    loaded = load_config_text(f'[watch]\nfolders = ["exports", "{tmp_path}"]\n', FILE)
    assert loaded.watch.resolved(tmp_path / "studio") == (
        (tmp_path / "studio" / "exports").resolve(),
        tmp_path.resolve(),
    )
    assert str(error_of("[watch]\n\nsettle_s = 0\n")) == (
        f"{FILE} line 3: `watch.settle_s` expects a number > 0, found integer 0"
    )
    assert "unknown key `watch.folder` in" in str(error_of('[watch]\nfolder = ["x"]\n'))
    assert "[watch]\n" in default_config_text()


def test_builder_section() -> None:
    """[builder]: defaults, normalised keys and metre, and the errors of each field."""
    defaults = default_config().builder
    assert (defaults.parts, defaults.template, defaults.target_minutes) == (4, "club", 3.5)
    assert defaults.tempo_min_bpm <= defaults.tempo_max_bpm and "A minor" in defaults.keys
    loaded = load_config_text(
        '[builder]\nparts = 6\ntemplate = "Pop"\nkeys = ["f# MINOR", "Bb major"]\n'
        'time_signature = " 7 / 8 "\ntempo_min_bpm = 90\n'
    ).builder
    assert (loaded.parts, loaded.template, loaded.keys) == (6, "pop", ("F# minor", "Bb major"))
    assert (loaded.time_signature, loaded.tempo_min_bpm) == ("7/8", 90.0)
    error = error_of(
        '[builder]\nparts = 1\ntemplate = "polka"\nkeys = ["A minor", "H minor"]\n'
        'keys_x = 1\ntime_signature = "4/3"\ntarget_minutes = 0\ntempo_max_bpm = 10\n'
    )
    assert error.problems == [
        f"{FILE} line 2: `builder.parts` expects a whole number >= 2, found integer 1",
        f'{FILE} line 3: `builder.template` is "polka", not a template (club, pop, ambient, dnb)',
        f'{FILE} line 4: `builder.keys[1]` expects a key like "A minor" or "F# major", '
        'found string "H minor"',
        f"unknown key `builder.keys_x` in {FILE} line 5 (known: parts, template, "
        "tempo_min_bpm, tempo_max_bpm, keys, target_minutes, time_signature, or a "
        "[builder.NAME] table); did you mean `keys`?",
        f'{FILE} line 6: `builder.time_signature` expects a time signature "N/M", '
        'e.g. "4/4", "7/8", found string "4/3"',
        f"{FILE} line 7: `builder.target_minutes` expects a number > 0, found integer 0",
        f"{FILE} line 8: `builder.tempo_max_bpm` expects a number >= 20, found integer 10",
    ]
    assert "`builder.keys` expects a non-empty list of keys" in str(
        error_of("[builder]\nkeys = []\n")
    )


def test_mailing_digests_needs_a_server_a_sender_and_addresses() -> None:
    error = error_of('[digest]\nmail = true\n\n[mail]\nhost = "smtp.example.com"\n')
    assert str(error) == (
        f"{FILE} line 2: `digest.mail` is true, so [mail] needs `sender` and `to`"
    )
    ok = load_config_text(
        '[digest]\nmail = true\n[mail]\nhost = "h"\nsender = "a@b.c"\nto = ["d@e.f"]\n'
    )
    assert ok.mail.to == ("d@e.f",) and ok.digest.day == "sunday"


def test_a_password_in_the_file_is_refused() -> None:
    error = error_of('[mail]\npassword = "hunter2"\n')
    assert "unknown key `mail.password`" in str(error) and "password_env" in str(error)
