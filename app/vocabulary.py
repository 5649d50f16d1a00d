"""Fixed vocabularies shared by the models, the services and the export builders
(plain data: importing it pulls in no database code)."""

# Kinds of organisation an attendee may say they come from (optional profile).
STAKEHOLDER_KINDS = {
    "company": "Company",
    "cluster": "Cluster organisation",
    "public_authority": "Public authority",
    "research_education": "Research & education",
    "other": "Other",
}

# Plural labels for sentences like "supported by 14 companies and 6 clusters".
STAKEHOLDER_KINDS_PLURAL = {
    "company": ("company", "companies"),
    "cluster": ("cluster organisation", "cluster organisations"),
    "public_authority": ("public authority", "public authorities"),
    "research_education": ("research or education body", "research and education bodies"),
    "other": ("other organisation", "other organisations"),
}

# When an action item should be done.
HORIZONS = {
    "short": "Short term (within a year)",
    "medium": "Medium term (1–3 years)",
    "long": "Long term (over 3 years)",
}
