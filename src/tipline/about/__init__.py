"""Who runs this service: the operating agency's name, logo, contacts and privacy notice, set by
the operator in a TOML file (`TIPLINE_ABOUT_FILE`), with a default in both languages."""
