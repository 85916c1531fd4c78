"""Search engines behind one interface: the only code that knows how paragraphs are indexed and searched."""
