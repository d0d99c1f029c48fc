/** The admin client: {@link io.cairn.client.admin.CairnAdmin} manages topics, partitions, settings and offsets. */
package io.cairn.client.admin;
