"""The data keys' life: rotation (re-encrypting every sealed value and evidence file under the
current key), and what each key still holds (`tipline keys`)."""
