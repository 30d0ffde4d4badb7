"""The privacy room: reviewing identifiers, the key file, moving an old key out."""
