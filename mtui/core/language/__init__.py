"""The typed languages: quick-add lines, board filters and due-date words, and name resolution."""
