"""`FeatureMatrix` and `suggest`: the obvious neighbour first, tags, exclusions, persistence."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from phase_tui.oracle.features import FEATURE_NAMES, analyse_sample
from phase_tui.oracle.suggest import FeatureMatrix, suggest
from tests.unit.test_oracle_features import write_family_samples

WIDTH = len(FEATURE_NAMES)


def family(sample_id: str) -> str:
    return sample_id.rstrip("0123456789")


def random_matrix(rows: int, seed: int = 0) -> FeatureMatrix:
    rng = np.random.default_rng(seed)
    return FeatureMatrix([f"s{i}" for i in range(rows)], rng.normal(size=(rows, WIDTH)))


def test_every_sound_finds_its_own_family_first(tmp_path: Path) -> None:
    paths = write_family_samples(tmp_path, per_family=6)
    ids = list(paths)
    matrix = FeatureMatrix(ids, np.stack([analyse_sample(paths[i]).features for i in ids]))
    for sample_id in ids:
        found = suggest(matrix, sample_id, count=3)
        assert family(found[0][0]) == family(sample_id), (sample_id, found)
        assert sample_id not in {other for other, _ in found}


def test_a_planted_near_duplicate_among_100_000_rows() -> None:
    matrix = random_matrix(100_000)
    twin = matrix.matrix[[41_234]] + np.float32(0.01)
    matrix.upsert(["twin"], twin)
    found = suggest(matrix, "s41234", count=5)
    assert found[0][0] == "twin"
    assert found[0][1] > 0.99
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    assert suggest(matrix, "twin", count=1)[0][0] == "s41234"


def test_scores_lie_in_0_1_and_identical_rows_score_1() -> None:
    matrix = random_matrix(500)
    matrix.upsert(["copy"], matrix.matrix[[7]])
    found = suggest(matrix, "s7", count=500)
    assert found[0] == ("copy", pytest.approx(1.0))
    assert all(0.0 <= score <= 1.0 for _, score in found)
    assert len(found) == 500  # everything but the sample itself


def test_the_sample_itself_and_excluded_ids_are_never_suggested() -> None:
    matrix = random_matrix(50)
    first = [sample_id for sample_id, _ in suggest(matrix, "s3", count=5)]
    found = [sid for sid, _ in suggest(matrix, "s3", count=5, exclude={first[0], "unknown"})]
    assert first[0] not in found and "s3" not in found
    assert found[:4] == first[1:]
    assert suggest(FeatureMatrix(["only"], np.zeros((1, WIDTH))), "only") == []
    assert suggest(matrix, "s3", count=0) == []


def test_an_unknown_id_raises_key_error() -> None:
    with pytest.raises(KeyError):
        suggest(random_matrix(10), "nope")


def test_shared_tags_raise_the_score_and_change_the_order() -> None:
    matrix = random_matrix(2000)
    plain = suggest(matrix, "s0", count=10)
    eighth = plain[7][0]
    tags = {"s0": {"dark", "techno"}, eighth: ["dark", "techno"], plain[0][0]: {"bright"}}
    tagged = suggest(matrix, "s0", count=10, tags=tags)
    ranked = [sample_id for sample_id, _ in tagged]
    assert ranked.index(eighth) < 7
    assert set(ranked) == {sample_id for sample_id, _ in plain}
    assert dict(tagged)[eighth] > dict(plain)[eighth]
    assert dict(tagged)[plain[0][0]] == dict(plain)[plain[0][0]]
    assert all(0.0 <= score <= 1.0 for _, score in tagged)


def test_a_tagged_sample_far_outside_the_first_pool_is_still_found() -> None:
    matrix = random_matrix(5000)
    plain = suggest(matrix, "s0", count=4999)
    far = plain[300][0]
    matrix.upsert([far], matrix.matrix[[matrix.row_of(plain[0][0])]] + np.float32(0.3))
    tags = {"s0": {"x"}, far: {"x"}}
    tagged = suggest(matrix, "s0", count=1, tags=tags)
    assert tagged[0][0] == far


def test_upsert_replaces_and_appends_and_remove_drops() -> None:
    matrix = FeatureMatrix(["a", "b"], np.array([[0.0, 0.0], [1.0, 1.0]]))
    held = matrix.matrix
    matrix.upsert(["b", "c"], np.array([[5.0, 5.0], [2.0, 2.0]]))
    assert matrix.ids == ["a", "b", "c"]
    assert matrix.matrix.tolist() == [[0, 0], [5, 5], [2, 2]]
    assert held.tolist() == [[0, 0], [1, 1]]  # a matrix handed out earlier is not changed
    assert suggest(matrix, "a", count=1)[0][0] == "c"
    matrix.remove(["c", "never"])
    assert (matrix.ids, matrix.matrix.tolist()) == (["a", "b"], [[0, 0], [5, 5]])
    assert suggest(matrix, "a", count=1)[0][0] == "b"
    assert matrix.matrix.dtype == np.float32 and len(matrix) == 2 and "a" in matrix


def test_upsert_rejects_bad_rows() -> None:
    matrix = FeatureMatrix(["a"], np.zeros((1, 3)))
    with pytest.raises(ValueError):
        matrix.upsert(["b"], np.zeros((1, 4)))
    with pytest.raises(ValueError):
        matrix.upsert(["b", "c"], np.zeros((1, 3)))
    with pytest.raises(ValueError):
        matrix.upsert(["b"], np.array([[0.0, np.nan, 0.0]]))
    assert matrix.ids == ["a"]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    matrix = random_matrix(1000)
    matrix.upsert(["Café déjà vu", "夜のドラム"], np.ones((2, WIDTH)))
    path = tmp_path / "features.npz"
    matrix.save(path)
    loaded = FeatureMatrix.load(path)
    assert loaded.ids == matrix.ids
    assert np.array_equal(loaded.matrix, matrix.matrix) and loaded.matrix.dtype == np.float32
    assert suggest(loaded, "s5") == suggest(matrix, "s5")
    assert [p.name for p in tmp_path.iterdir()] == ["features.npz"]  # no temp file left


def test_load_missing_is_empty_and_damaged_is_empty_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert len(FeatureMatrix.load(tmp_path / "none.npz")) == 0
    damaged = tmp_path / "damaged.npz"
    random_matrix(100).save(damaged)
    damaged.write_bytes(damaged.read_bytes()[:500])
    with caplog.at_level(logging.WARNING):
        assert len(FeatureMatrix.load(damaged)) == 0
    assert "damaged" in caplog.text
    np.savez(tmp_path / "wrong.npz", ids=np.array(["a", "b"]), matrix=np.zeros((3, WIDTH)))
    assert len(FeatureMatrix.load(tmp_path / "wrong.npz")) == 0
