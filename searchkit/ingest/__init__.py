"""Reading articles: file readers, segmentation into paragraphs, checks, dates, near-duplicates, corpus/."""
