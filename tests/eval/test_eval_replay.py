"""The eval as CI runs it, offline: (a) the extractive eval over all facts against evals/thresholds.yaml,
(b) a replay of the committed fixture recordings (evals/recordings/fixture-scripted/) with no network.

Both share one session-scoped eval index, built through the harness (which skips the summary hook)."""

from __future__ import annotations

import argparse
import socket
from dataclasses import replace

import pytest

from evals import harness, recording, report
from evals.recording import RecordingError

FIXTURE = "fixture-scripted"


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory):
    """One embedding cache for every eval index of the session: the seeds are embedded once, not once per set
    (about half a minute each)."""
    return tmp_path_factory.mktemp("embeddings") / "embeddings.sqlite3"


@pytest.fixture(scope="session")
def eval_engine(tmp_path_factory, embedding_cache):
    # Its own index: the harness makes the eval collection's dense search exact (a persistent setting),
    # which must not change the shared seeded index under other tests.
    from service.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("eval-index"), answerer="extractive",
                        embedding_cache=embedding_cache)
    return harness.prepare_index(settings, fingerprint=False)


@pytest.fixture(scope="session")
def questions():
    return harness.build_questions(harness.load_facts())


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open an internet socket fails the test (replays must be offline)."""
    real = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network access during an offline eval: {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BULLETINS_OPENAI_API_KEY", "BULLETINS_OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


def replay_setup(engine, questions, subset: str | None = None):
    args = argparse.Namespace(record=False, replay=True, model=FIXTURE, subset=subset)
    qs = harness.select(questions, subset)
    settings, cfg, qs = harness.llm_config(engine.settings, args, qs)
    return harness.prepare_index(settings, fingerprint=False), cfg, qs


@pytest.mark.timeout(900)  # includes building the session index (~45 s idle) when this test runs first
def test_extractive_eval_meets_thresholds(eval_engine, questions, tmp_path):
    result = harness.run(eval_engine, questions, harness.RunConfig())
    t = result["totals"]
    assert t["questions"] == len(questions) and t["unanswerable"] >= 15
    assert set(result["by_doc"]) >= {"000_f13d48eef836739b", "-"}
    missed = harness.check_thresholds(result)
    assert not missed, "\n".join(missed)
    assert not result["config"]["fixture"]
    paths = report.write_all(result, tmp_path, "extractive")
    assert {p.suffix for p in paths} == {".json", ".md", ".html", ".png"}
    if harness.BASELINE.is_file():  # the comparison runs on a real baseline
        import json

        cmp_ = report.compare(result, json.loads(harness.BASELINE.read_text(encoding="utf-8")), "baseline")
        assert {"better", "worse", "totals"} <= set(cmp_)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", ["heldout", "tuning"])
def test_extractive_eval_on_other_fact_sets_meets_thresholds(eval_engine, name):
    """The held-out set (evals/heldout.yaml, never used to tune the answerer) and the tuning set (the
    held-out set before it) each have their own minimums."""
    facts = harness.ROOT / "evals" / f"{name}.yaml"
    cfg = harness.RunConfig(facts=facts)
    result = harness.run(eval_engine, harness.build_questions(harness.load_facts(facts)), cfg)
    assert result["config"]["threshold_section"] == f"extractive_{name}"
    assert result["totals"]["unanswerable"] >= 10
    missed = harness.check_thresholds(result)
    assert not missed, "\n".join(missed)


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    ("name", "docs"),
    [
        ("generalization", {"101_bca4b5703caf039b", "104_268aefd002512deb"}),  # now a training set
        ("generalization2", {"301_aea6954a6b320466", "305_c65647cccc40d8cb"}),  # never tuned on
        ("heldout3", {"401_d892f2af7b732fef", "405_73fdac04f8d5a689"}),  # a training set since the seventh session
        ("heldout4", {"701_e9f33a2b2f126aa8", "705_1a4ecda5182b8a9d"}),  # a training set since the eighth session
        ("heldout5", {"501_ddb54fc7511c3fd4", "505_04ee7ae4b3190a3d"}),  # a training set since the eighth session
        ("heldout6", {"921_816487ceffd13b53", "925_60f7d1a2029a094f"}),  # a training set since the eighth session
        ("heldout7", {"931_a9202ba96bff2c7e", "935_46599721ab638bc7"}),  # a training set since the ninth session
        ("heldout8", {"941_d2d9bd3acc7a62be", "945_50ee443122f58f41"}),  # a training set since the ninth session
        ("heldout9", {"951_3228f7b8a26db043", "955_1d7e24537a4ebd6d"}),  # a training set since the tenth session
        ("heldout10", {"961_88670473318b64bb", "965_f6c47b4fd5a1282c"}),  # a training set since the eleventh session
        ("heldout11", {"971_07a8f0c74dd0a87b", "975_767b923e79aa1615"}),  # a training set since the twelfth session
        ("heldout12", {"981_9d5dbf5efc0233f6", "985_9bfa7491670da68a"}),  # a training set since the thirteenth session
        ("heldout13", {"991_d4b1edebbfa1f31a", "995_71ab60235a66b5e5"}),  # a training set since the thirteenth session
        ("heldout14", {"901_2705cae067d3bdbe", "905_f26769303edd0e7a"}),  # a training set since the fourteenth session
        ("heldout15", {"911_ca54f707abb98714", "915_f532a29c223af347"}),  # a training set since the fourteenth session
        ("heldout16", {"811_f2117edd755d6ab7", "815_95f32942041ac9fb"}),  # a training set since the fifteenth session
        ("heldout17", {"821_51e48805765e10fc", "825_28ec088a1ab36e4e"}),  # a training set since the fifteenth session
        ("heldout18", {"831_727e0c91bf476816", "835_58926b05e6b5c124"}),  # a training set since the sixteenth session
        ("heldout19", {"841_df88fe9139ddb643", "845_35ca606eda8617b7"}),  # a training set since the sixteenth session
        ("heldout20", {"851_0401bb3c39813657", "855_d6286fb80dd0b1a0"}),  # a training set since the seventeenth session
        ("heldout21", {"861_ef1d87a3c6fa3c17", "865_7fca6bf513c27f7b"}),  # a training set since the eighteenth session
    ],
)
def test_extractive_eval_on_unseen_bulletins_meets_thresholds(tmp_path_factory, embedding_cache, name, docs):
    """Bulletins the rules were not written on, ingested beside the seeds."""
    from service.settings import Settings

    root = harness.ROOT / "evals" / name
    settings = Settings(data_dir=tmp_path_factory.mktemp(f"{name}-index"), answerer="extractive",
                        embedding_cache=embedding_cache)
    engine = harness.prepare_index(settings, fingerprint=False, extra=[root / "bulletins"])
    cfg = harness.RunConfig(facts=root / "facts.yaml")
    result = harness.run(engine, harness.build_questions(harness.load_facts(cfg.facts, root / "bulletins")), cfg)
    assert result["config"]["threshold_section"] == f"extractive_{name}"
    assert set(result["by_doc"]) >= docs
    missed = harness.check_thresholds(result)
    assert not missed, "\n".join(missed)


@pytest.mark.timeout(600)
def test_fixture_replay_is_offline_and_catches_invented_figures(eval_engine, questions, no_network):
    engine, cfg, qs = replay_setup(eval_engine, questions)
    assert cfg.manifest is not None and cfg.manifest.is_fixture
    assert len(qs) == len(cfg.manifest.question_ids) >= 20
    result = harness.run(engine, qs, cfg)
    t = result["totals"]
    assert result["config"]["fixture"] and "fixture" in result["config"]["source"]
    assert t["cassette_misses"] == 0 and t["answered"] == 1.0 and t["llm_errors"] == 0
    assert t["ungrounded_figures"] == 0  # the scripted wrong figures never reach a final answer
    assert t["fallback_ungrounded_llm_figures"] >= 4  # ... because the figure check caught them
    assert t["answered_by_llm"] > 0
    assert not harness.check_thresholds(result)
    assert report.FIXTURE_BANNER in report.markdown(result, None)


def test_replay_fails_loudly_on_an_unrecorded_request(eval_engine, questions, no_network):
    engine, cfg, qs = replay_setup(eval_engine, questions, "f000_12")
    changed = [replace(qs[0], text=qs[0].text.replace("副省长", "省领导"))]
    with pytest.raises(RecordingError, match="f000_12"):
        harness.run(engine, changed, cfg)


def test_cli_replay_and_subset_errors(eval_engine, tmp_path, monkeypatch, no_network, capsys):
    monkeypatch.setenv("BULLETINS_EVAL_DATA_DIR", str(eval_engine.settings.data_dir))

    def cli(*argv: str) -> int:
        from service.cli import build_parser

        return harness.main(build_parser().parse_args(["eval", "--out", str(tmp_path), *argv]))

    assert cli("--answerer", "llm", "--replay", "--model", FIXTURE, "--subset", "f000_12,u01", "--check") == 0
    out = capsys.readouterr().out
    assert "FIXTURES, not a real model" in out and "all met" in out
    assert (tmp_path / f"llm-{FIXTURE}-replay-subset.html").is_file()
    assert cli("--answerer", "llm", "--replay", "--model", FIXTURE, "--subset", "f000_02") == 2  # not recorded
    assert cli("--subset", "nonsense") == 2
    assert cli("--facts", str(tmp_path / "no-such-facts.yaml")) == 2
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert cli("--facts", str(empty)) == 2  # fails validation: no facts list
    assert cli("--facts", str(harness.ROOT / "evals" / "heldout.yaml"), "--save-baseline") == 2  # would overwrite the dev baseline
    err = capsys.readouterr().err
    assert "no-such-facts.yaml" in err and "--baseline PATH" in err
    assert cli("--answerer", "llm", "--replay", "--model", "no-such-model") == 2


def test_recording_helpers():
    assert recording.strip_credentials("https://user:secret@llm.example.com:8443/v1/?api-key=s&x=1") == \
        "https://llm.example.com:8443/v1?x=1"
    assert recording.strip_credentials(None) == recording.DEFAULT_ENDPOINT
    assert recording.folder_name("org/model:7b") == "org_model_7b"


def test_refuses_a_failing_facts_file(tmp_path):
    bad = tmp_path / "facts.yaml"
    bad.write_text("facts:\n  - id: f000_01\n    question: 没有问号\n", encoding="utf-8")
    with pytest.raises(harness.EvalError, match="fails validation"):
        harness.load_facts(bad)
