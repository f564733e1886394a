/**
 * Imports every area's adapters into the registry.
 *
 * @module
 */
