"""Settings come from PODIUM_* once, with clear errors for bad values."""

from __future__ import annotations

import pytest

from shared.plumbing.settings import Settings, SettingsError, as_env, checked_secret


def test_defaults_and_environment() -> None:
    assert Settings.from_env({}).intake_port == 8001
    settings = Settings.from_env(
        {
            "PODIUM_NATS_URL": "nats://nats:4222",
            "PODIUM_INTAKE_PORT": "9001",
            "PODIUM_RANKING_SKILLS": "welding, cooking",
            "OTHER": "ignored",
        }
    )
    assert settings.nats_url == "nats://nats:4222"
    assert settings.intake_port == 9001
    assert settings.ranking_skills == ("welding", "cooking")


def test_a_bad_value_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="intake_port"):
        Settings.from_env({"PODIUM_INTAKE_PORT": "eighty"})


def test_settings_given_to_a_process_read_back_the_same() -> None:
    chosen = Settings(nats_url="nats://a:1,nats://b:2", intake_port=9001, ranking_skills=("x", "y"))
    env = as_env(
        nats_url=chosen.nats_url, intake_port=chosen.intake_port, ranking_skills=("x", "y")
    )
    assert env["PODIUM_INTAKE_PORT"] == "9001"
    assert Settings.from_env(env) == chosen
    with pytest.raises(ValueError, match="no such settings"):
        as_env(intake_prot=1)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(SettingsError, match="PODIUM_SECRET must be at least 32"):
        checked_secret("short")
    assert checked_secret("x" * 32) == "x" * 32
