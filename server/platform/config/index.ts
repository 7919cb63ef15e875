export { loadConfig, ConfigError } from './load-config';
export { configVariables, type Config, type ConfigVariable } from './variables';
