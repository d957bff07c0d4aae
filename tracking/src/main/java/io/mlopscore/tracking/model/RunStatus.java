package io.mlopscore.tracking.model;

import io.mlopscore.common.http.ApiException;

/** MLflow's {@code RunStatus} enum; the proto numbers are accepted on input as MLflow accepts them. */
public enum RunStatus {
    RUNNING(1),
    SCHEDULED(2),
    FINISHED(3),
    FAILED(4),
    KILLED(5);

    private final int number;

    RunStatus(int number) {
        this.number = number;
    }

    public static RunStatus parse(String text) {
        for (RunStatus s : values()) {
            if (s.name().equals(text) || Integer.toString(s.number).equals(text)) {
                return s;
            }
        }
        throw ApiException.invalid("Invalid value '" + text + "' for parameter 'status': must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
    }

    public boolean isTerminated() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
