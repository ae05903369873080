"""The operator's profile: read and checked from its TOML file. Pure: a path in, values out."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tipline.errors import InvalidInput
from tipline.vocabulary import DEFAULT_LANGUAGE

LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
Text = Annotated[str, Field(max_length=8000)]
M = TypeVar("M", bound=BaseModel)


class ProfileError(InvalidInput):
    """The operator's file cannot be used: the message says which line or field, and why."""


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field(default="", max_length=40, pattern=r"^[0-9+ ().-]*$")
    email: str = Field(default="", max_length=200, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")
    website: str = Field(default="", max_length=300, pattern=r"^(https?://\S+)?$")
    logo: str = Field(default="", max_length=500)


class HelpLine(BaseModel):
    """A number a person in danger can call, labelled in each language."""

    model_config = ConfigDict(extra="allow")

    number: str = Field(min_length=2, max_length=20, pattern=r"^[0-9+ ]+$")

    def label(self, language: str) -> str:
        extra = self.model_extra or {}
        return str(extra.get(language) or extra.get(DEFAULT_LANGUAGE) or "")


class Texts(BaseModel):
    """What the home, "who we are" and privacy pages say, in one language."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    runs: Text = ""
    readers: Text = ""
    privacy: Text = ""

    @field_validator("runs", "readers", "privacy")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()


class Profile(BaseModel):
    model_config = ConfigDict(extra="allow")

    contact: Contact = Contact()
    help: list[HelpLine] = Field(default_factory=list, max_length=10)
    logo_path: Path | None = None

    def texts(self, language: str) -> Texts:
        """The texts of `language`, else Vietnamese's."""
        extra = self.model_extra or {}
        chosen = extra.get(language) or extra[DEFAULT_LANGUAGE]
        return Texts.model_validate(chosen)

    def written_in(self, language: str, field: str) -> str:
        """`language` when its texts fill `field`, else Vietnamese (the operator's own words in
        another language beat a default that is not theirs)."""
        return language if getattr(self.texts(language), field) else DEFAULT_LANGUAGE

    def paragraphs(self, language: str, field: str) -> list[str]:
        """A text field split at its blank lines, for `<p>` elements."""
        text = getattr(self.texts(self.written_in(language, field)), field)
        return [part.strip() for part in text.split("\n\n") if part.strip()]

    @property
    def logo_type(self) -> str | None:
        return LOGO_TYPES.get(self.logo_path.suffix.lower()) if self.logo_path else None


def _checked(model: type[M], data: object, prefix: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ProfileError(f"{prefix}{where}: {first['msg']}") from None


def _validated(data: dict[str, object], folder: Path | None) -> Profile:
    profile = _checked(Profile, data, "")
    languages = profile.model_extra or {}
    if DEFAULT_LANGUAGE not in languages:
        raise ProfileError(f"the [{DEFAULT_LANGUAGE}] table is missing")
    for language, texts in languages.items():
        _checked(Texts, texts, f"{language}.")
    if profile.contact.logo:
        profile.logo_path = _logo(profile.contact.logo, folder)
    return profile


def _logo(name: str, folder: Path | None) -> Path:
    path = Path(name) if folder is None else (folder / name)
    if path.suffix.lower() not in LOGO_TYPES:
        raise ProfileError(f"contact.logo: {name} is not one of {', '.join(LOGO_TYPES)}")
    if not path.is_file():
        raise ProfileError(f"contact.logo: no file at {path}")
    if path.stat().st_size > LOGO_MAX_BYTES:
        raise ProfileError(f"contact.logo: {path} is larger than {LOGO_MAX_BYTES // 1024} KB")
    return path.resolve()


def read_profile(path: Path | None) -> Profile:
    """The operator's profile from `path`, or the bundled default when `path` is None."""
    if path is None:
        text = resources.files("tipline.about").joinpath("default.toml").read_text("utf-8")
        folder = None
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ProfileError(f"{path}: {error}") from None
        folder = path.parent
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path or 'default.toml'}: {error}") from None
    return _validated(data, folder)
