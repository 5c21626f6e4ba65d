/**
 * The configuration: typed, immutable records for the plan's camelCase YAML schema
 * ({@link dev.bakecache.engine.config.CacheConfig} and its parts), the
 * {@link dev.bakecache.engine.config.ConfigLoader} that reads and checks a file, and
 * {@link dev.bakecache.engine.config.ByteSize} for {@code 20GB}-style sizes (binary units).
 *
 * <p>Plain Java and SnakeYAML, no Spring, so the engine, the CLI and the Spring jobs read a config
 * file the same way. Invalid configuration fails with a
 * {@link dev.bakecache.engine.config.ConfigException} naming the file and the dotted key.
 */
package dev.bakecache.engine.config;
