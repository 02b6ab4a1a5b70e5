/** Declared (typed) customer attributes: types, canonical values, the schema. No I/O. */
package dev.ivr.server.crm.attributes;
