/** After-call records in the database: agents' wrap-ups (disposition and note per call) and their transfers. */
package dev.ivr.server.crm.wrapup;
