/**
 * The users file behind SMTP AUTH: one {@code name:hash} line per user, read at start-up and
 * rewritten atomically by {@code mta user add}.
 */
package dev.mta.security.users;
