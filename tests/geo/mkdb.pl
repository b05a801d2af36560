#!/usr/bin/perl
# Write a small MaxMind DB for the tsa-geo tests, so every expected answer
# is known.  Usage:
#   mkdb.pl OUT DATABASE_TYPE CIDR JSON [CIDR JSON ...]
# Each JSON is the data record for the network CIDR, in whatever layout the
# test wants (GeoIP2 maps, ip-location-db flat keys, ASN keys).
use strict;
use warnings;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($out, $type, @nets) = @ARGV;
die "usage: mkdb.pl OUT TYPE CIDR JSON...\n" if !defined $type || @nets % 2;

# The writer needs a type for every key; values inside "names" maps are
# strings like the rest.
my %types = (
	country => 'map', registered_country => 'map', continent => 'map',
	city => 'map', location => 'map', names => 'map',
	latitude => 'double', longitude => 'double',
	autonomous_system_number => 'uint32', geoname_id => 'uint32',
);

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6,
	record_size => 24,
	database_type => $type,
	languages => ['en'],
	description => { en => 'tsa-geo test database' },
	# Keep documentation and private ranges: the tests put answers there
	# to prove tsa-geo never looks them up.
	remove_reserved_networks => 0,
	# ::ffff:a.b.c.d and the other IPv4 aliases reach the IPv4 subtree.
	alias_ipv6_to_ipv4 => 1,
	# ip-location-db's "city" is a string, GeoIP2's a map: type it by
	# its value.
	map_key_type_callback => sub {
		my ($k, $v) = @_;
		return 'map' if ref($v) eq 'HASH';
		return 'utf8_string' if $k eq 'city';
		return $types{$k} // 'utf8_string';
	},
	# Reproducible files.
	_build_epoch => 1700000000,
);

my $json = JSON::PP->new;
while (my ($cidr, $data) = splice(@nets, 0, 2)) {
	$tree->insert_network($cidr, $json->decode($data));
}
open(my $fh, '>:raw', $out) or die "$out: $!\n";
$tree->write_tree($fh);
close($fh) or die "$out: $!\n";
