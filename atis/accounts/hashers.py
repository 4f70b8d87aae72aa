from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with tiny costs, for the test suite only (settings pick it when testing)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
