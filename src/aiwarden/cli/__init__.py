"""The command line: argument parsing, terminal output and exit codes. Holds no scan logic."""
