"""The thin command line: parse, call the store or the gateway, print, exit."""
