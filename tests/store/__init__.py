"""The store: opening files safely, locking, crash safety, and the contract every backend passes."""
