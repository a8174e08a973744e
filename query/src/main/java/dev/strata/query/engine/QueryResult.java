package dev.strata.query.engine;

import java.util.List;

/** A query's value plus its annotations and stats. */
public record QueryResult(Value value, List<String> warnings, List<String> infos, QueryStats stats) {}
