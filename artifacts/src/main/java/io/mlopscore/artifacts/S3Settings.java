package io.mlopscore.artifacts;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * How to reach S3, read the way MLflow's S3 artifact repository reads it: {@code MLFLOW_S3_ENDPOINT_URL}
 * points at an S3-compatible server (MinIO, Ceph, s3proxy...), which is then addressed path-style
 * ({@code http://host/bucket/key}: such servers rarely have per-bucket DNS names); credentials and
 * region come from the AWS default chains (environment, {@code aws.*} system properties, profile
 * files, instance roles). A Java system property of the same name stands in for the environment
 * variable where a process cannot set its own environment (an embedding program, a test).
 *
 * @param endpoint the server to talk to, or null for AWS itself
 * @param region the signing region; {@code us-east-1} when nothing names one (S3-compatible servers ignore it)
 * @param credentials where access keys come from
 * @param pathStyle whether buckets go in the path rather than the host name
 */
public record S3Settings(URI endpoint, Region region, AwsCredentialsProvider credentials, boolean pathStyle) {
    public static final String ENDPOINT_VARIABLE = "MLFLOW_S3_ENDPOINT_URL";

    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    static S3Settings fromEnvironment(Map<String, String> env, Properties properties) {
        String endpoint = env.get(ENDPOINT_VARIABLE);
        if (endpoint == null || endpoint.isBlank()) {
            endpoint = properties.getProperty(ENDPOINT_VARIABLE);
        }
        URI endpointUri = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        return new S3Settings(endpointUri, defaultRegion(), DefaultCredentialsProvider.builder().build(), endpointUri != null);
    }

    /** Settings for one S3-compatible server with fixed keys. */
    public static S3Settings compatible(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return new S3Settings(endpoint, region, credentials, true);
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }
}
