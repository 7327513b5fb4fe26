"""The pure domain: enums, rules, time parsing and templates. No Textual, no I/O."""
