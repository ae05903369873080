from tests.instances import make_instance, migrated_template

__all__ = ["make_instance", "migrated_template"]
