"""Sharing with partners abroad: indicators and campaigns as STIX 2.1 (over TAXII 2.1, and as
MISP events), under TLP 2.0 and each partner's sharing policy.

What is shared is published first into `shared_object` rows (one STIX object each, with the TLP,
indicator kind and categories it derives from), so that who may receive which object is decided
in the query that reads them (`repository.readable_objects`), and every export, TAXII page and
feed reads the same rows. Nothing that identifies a victim is ever published: no narrative,
contact, age or free text; counts and losses only in aggregate.
"""
