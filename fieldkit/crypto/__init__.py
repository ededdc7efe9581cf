"""Key handling for the vault: passphrase KDF, recovery key, wrapped-key header, device secret.

Nothing here imports Qt or a database driver; it deals only in bytes, files and the keyring.
"""
