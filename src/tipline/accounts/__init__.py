"""Accounts: users and their roles, web sessions, API tokens, and who may use which route."""
