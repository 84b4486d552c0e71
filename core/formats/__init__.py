"""The project's date and number formats where Django's Russian ones read wrong (FORMAT_MODULE_PATH)."""
