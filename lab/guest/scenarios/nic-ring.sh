# NIC RX ring lookalike: order-0 pages with refcount USHRT_MAX held through 32-byte ring records
inject() { insmod /lab/vnx_rxq.ko bytes=$BYTES ring_size=1024; modtruth vnx_rxq
	truth family NIC_RX_RING_PAGES; truth injected_bytes "$(cat /sys/module/vnx_rxq/parameters/held)"; }
