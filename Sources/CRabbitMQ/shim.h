#ifndef OMBUD_CRABBITMQ_SHIM_H
#define OMBUD_CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/* Swift cannot call C variadic functions, and amqp_login_with_properties is
 * variadic (the SASL PLAIN credentials are passed as varargs). This
 * non-variadic wrapper is the only addition to the library headers. */
static inline amqp_rpc_reply_t crabbitmq_login_plain(
    amqp_connection_state_t state, const char *vhost, int channel_max,
    int frame_max, int heartbeat, const amqp_table_t *properties,
    const char *user, const char *password) {
  return amqp_login_with_properties(state, vhost, channel_max, frame_max,
                                    heartbeat, properties,
                                    AMQP_SASL_METHOD_PLAIN, user, password);
}

#endif
