/** Agents' wrap-ups (disposition and note per call) in the database. */
package dev.ivr.server.crm.wrapup;
