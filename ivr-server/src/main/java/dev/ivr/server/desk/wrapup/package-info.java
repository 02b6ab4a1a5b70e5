/** The wrap-up rules of queues as the agent desktop applies them. */
package dev.ivr.server.desk.wrapup;
