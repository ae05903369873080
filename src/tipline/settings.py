"""One typed settings object, read from TIPLINE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PRIVATE_DIR = 0o700


class Settings(BaseSettings):
    """Everything an operator can set, with the embedded defaults."""

    model_config = SettingsConfigDict(env_prefix="TIPLINE_", extra="ignore")

    data_dir: Path = Path("./var")
    database_url: str | None = None
    # A streaming replica of the PostgreSQL database (scripts/start-replica.sh): the checks,
    # the feeds and the dashboard read from it; everything else from `database_url`.
    replica_url: str | None = None
    shared_dir: Path | None = None
    secret_key: str | None = None
    # The keys victims' contacts, narratives and evidence are encrypted with at rest
    # (tipline.keyring): base64url AES-256 keys, `,` between them, the first current; unset:
    # `data-keys` in the data folder, made on first use. `tipline keys rotate` re-encrypts.
    data_keys: str | None = Field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    # An indicator named by more reports than this is a campaign *hub* (a bank's real hotline
    # typed by many victims): flagged in campaign_hub, it links none of its reports.
    campaign_hub_reports: int = 1000
    # The largest evidence file (screenshot, chat export, audio, video) an upload may carry.
    evidence_max_bytes: int = 50 * 1024 * 1024
    # Rate limits per client address (`limits` notation; `;` between windows): public report
    # submissions (page and API), public checks, failed sign-ins (each window a longer wait),
    # and failed sign-ins from all addresses together.
    rate_limit_reports: str = "10/minute; 100/hour"
    rate_limit_checks: str = "600/minute"
    # Checks counted in each server process's memory (no write on the check's hot path; with
    # `--workers N` an address may ask N times the limit); false: in the database like the rest.
    rate_limit_checks_in_memory: bool = True
    # Hash matching (POST /api/v1/media/match, up to 1,000 hashes a call) per client address.
    rate_limit_matches: str = "120/minute"
    # Every other public and platform API route (docs/feeds.md, "Rate limits"): per address
    # (a report's status by its secret, requests' pages…), and per token for a token's calls
    # (any route); a platform token's checks (single, bulk, private) and feed pulls.
    rate_limit_public: str = "120/minute"
    rate_limit_tokens: str = "1200/minute"
    rate_limit_platform_checks: str = "6000/minute"
    rate_limit_feeds: str = "60/hour"
    # The NCII bank that victims' own photos' hashes join (/protect-my-photo), made by the first
    # victim's submission when no bank has this name.
    victim_bank: str = "NCII reported by victims"
    signin_limit_per_address: str = "5/minute; 20/hour; 100/day"
    # Failed sign-ins on one account from every client that is not a known one of it (its
    # browser's device cookie, an address it signed in from): tipline.accounts.throttle.
    signin_limit_per_account: str = "10/minute; 30/hour; 100/day"
    signin_limit_global: str = "100/minute"
    # How many reverse proxies in front of the server write X-Forwarded-For: 0 counts the
    # connection's peer; never more than there are (a client could forge the header).
    trusted_proxies: int = 0
    # The audit log's checkpoints: signed with this Ed25519 key (PEM; default audit-key.pem in
    # the data folder, made 0600), by `tipline serve` this often when the log grew.
    audit_key_file: Path | None = None
    audit_checkpoint_seconds: int = Field(default=60, ge=1)
    # Webhooks to organisations: `tipline serve` delivers those due this often, and waits this
    # long for a receiver (to connect: at most 5 s).
    webhook_deliver_seconds: int = Field(default=5, ge=1)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # Who runs this site: the operator's name, logo, contacts, help numbers and privacy notice
    # (a TOML file like `tipline/about/default.toml`, which is used when this is unset).
    about_file: Path | None = None
    # The TLP of a confirmed indicator an analyst has not marked (tipline.sharing.tlp), and how
    # this instance names itself in what it shares (its STIX identity, MISP's Orgc).
    sharing_default_tlp: str = "amber"
    sharing_identity_name: str = "tipline"
    # `tipline serve` publishes the campaigns that grew (a report joined, a merge) this often.
    sharing_growth_seconds: int = Field(default=30, ge=1)
    # Indicator feeds for organisations (docs/feeds.md): an indicator not reported or listed
    # for this many days leaves the feed; `tipline serve` refreshes the feed this often.
    feed_expiry_days: int = Field(default=180, ge=1)
    feed_refresh_seconds: int = Field(default=60, ge=1)
    # The private check (docs/private-check.md): anyone may ask this often per address (a
    # platform token: its own, higher limit); the bucket's bits (16: ~15,000 possible mobile
    # numbers share a bucket); how often `tipline serve` brings the keyed set in step with the
    # database; an indicator not seen for this many days leaves the set (0, the default: never,
    # as the public check answers `reported` for an old report too).
    rate_limit_private_checks: str = "600/minute"
    private_check_prefix_bits: int = Field(default=16, ge=8, le=24)
    private_check_follow_seconds: int = Field(default=20, ge=1)
    private_check_expiry_days: int = Field(default=0, ge=0)
    # Backups (docs/reliability.md, "Backup, restore and retention"): encrypted under the key in
    # this file (64 hex digits, `tipline backup keygen`) or, without one, under a passphrase
    # through Argon2id. Neither is ever logged or written into a backup.
    backup_key_file: Path | None = None
    backup_passphrase: SecretStr | None = None
    # Retention per data class, in days (None: kept), enforced by `tipline purge`: a report's
    # narrative and its reporter's contact, evidence files, hash-bank entries, and requests to
    # organisations once answered or cancelled. A contact is kept a year by default: it serves
    # only to follow a report up (storage limitation, Vietnam's Decree 13/2023 and the GDPR).
    retention_narratives_days: int | None = Field(default=None, ge=1)
    retention_contacts_days: int | None = Field(default=365, ge=1)
    retention_evidence_days: int | None = Field(default=None, ge=1)
    retention_hashes_days: int | None = Field(default=None, ge=1)
    retention_requests_days: int | None = Field(default=None, ge=1)
    # Background work (tipline.jobs: checkpoints, webhooks, feeds…): false leaves it to
    # `tipline worker` processes (PostgreSQL), so that server processes only answer.
    jobs_in_serve: bool = True

    def make_data_dir(self) -> Path:
        """The data folder, made readable by its owner only (it holds reports and evidence)."""
        self.data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        return self.data_dir

    @property
    def allowlist_dir(self) -> Path:
        """Where `tipline allowlist add` keeps the operator's MISP warninglists."""
        return self.data_dir / "allowlists"

    @property
    def sqlalchemy_url(self) -> str:
        """The configured database, or SQLite under the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tipline.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests clear the cache to change them)."""
    return Settings()
