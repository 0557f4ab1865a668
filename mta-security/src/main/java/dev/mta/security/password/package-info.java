/**
 * Password hashes for SMTP AUTH: Argon2id in the PHC string format for new hashes, bcrypt
 * accepted for hashes brought from elsewhere (htpasswd, Dovecot, Postfix SASL setups).
 */
package dev.mta.security.password;
