"""Readers: what several checks read in a text, kept apart from the checks that judge it.

Each reader turns a sentence of one language into plain values (figures with their exact
values, dates as day/month/year/weekday, countries and organisations as identifiers, names of
people and places, clauses, word frequencies), memoised per text, since several checks read
the same sentences. A check imports readers, never another check.
"""
