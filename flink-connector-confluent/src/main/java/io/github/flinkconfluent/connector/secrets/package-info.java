/**
 * {@code {{VAR}}} secret templates: settings of a connection profile or registry configuration that
 * name an environment variable, resolved on the task that opens the connection so the secret never
 * travels in the job graph. Used by both the profile and the registry client, below both.
 */
package io.github.flinkconfluent.connector.secrets;
