package io.mlopscore.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: options named as in `mlflow server`, and clear refusals of bad input. */
class MainTest {
    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void trackingHelpListsMlflowServerOptionNames() {
        Result r = run("tracking", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--host", "--port", "--backend-store-uri", "--default-artifact-root",
                "--artifacts-destination", "--[no-]serve-artifacts", "127.0.0.1", "5000", "sqlite:///mlflow.db", "./mlartifacts");
    }

    @Test
    void versionNamesTheMlflowApiItSpeaks() {
        Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("mlops-core").contains("MLflow 2.19.0");
    }

    @Test
    void anUnsupportedBackendUriIsRefusedWithoutAStackTrace() {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            Result r = run("tracking", "--port", "0", "--backend-store-uri", "mysql://root:hunter2@localhost/db");
            assertThat(r.exitCode()).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString()).contains("Unsupported backend store URI").contains("***").doesNotContain("hunter2");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Result r = run("tracking", "--workers", "4");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--workers");
    }
}
