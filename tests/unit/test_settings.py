"""Settings come from PODIUM_* once, with clear errors for bad values."""

from __future__ import annotations

import pytest

from shared.settings import Settings, SettingsError


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
