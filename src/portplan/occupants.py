"""Default ports of widely used servers and developer tools, each with where it is documented.

A service planned on one of these ports works until someone starts that tool with its
defaults on the same machine; `check` reports it as info and `next` hands out other ports
first. Only facts live here: `portfacts` turns them into hazards.
"""

from __future__ import annotations

from portplan.records import record


@record
class Occupant:
    port: int
    tool: str
    source: str  # where the default is documented


KNOWN_OCCUPANTS: tuple[Occupant, ...] = (
    Occupant(1433, "SQL Server", "Microsoft SQL Server docs: default instance on TCP 1433"),
    Occupant(1521, "Oracle Database", "Oracle Net Services: default listener port 1521"),
    Occupant(2181, "ZooKeeper", "ZooKeeper admin guide: clientPort 2181"),
    Occupant(2375, "Docker Engine API", "dockerd docs: unencrypted TCP socket 2375"),
    Occupant(2379, "etcd", "etcd docs: client URL port 2379"),
    Occupant(3000, "Create React App", "create-react-app docs: PORT defaults to 3000"),
    Occupant(3000, "Rails", "Rails guides, bin/rails server: port 3000"),
    Occupant(3000, "Grafana", "Grafana docs: [server] http_port = 3000"),
    Occupant(3000, "Next.js", "Next.js docs: next dev starts on port 3000"),
    Occupant(3306, "MySQL", "MySQL reference manual: --port default 3306"),
    Occupant(4200, "Angular", "Angular CLI docs: ng serve --port default 4200"),
    Occupant(4222, "NATS", "NATS docs: client port 4222"),
    Occupant(5000, "Flask", "Flask docs: flask run --port default 5000"),
    Occupant(5173, "Vite", "Vite docs: server.port default 5173"),
    Occupant(5432, "PostgreSQL", "PostgreSQL docs, runtime config: port default 5432"),
    Occupant(5601, "Kibana", "Kibana docs: server.port default 5601"),
    Occupant(5672, "RabbitMQ", "RabbitMQ networking guide: AMQP 0-9-1 on 5672"),
    Occupant(5984, "CouchDB", "CouchDB docs: [chttpd] port 5984"),
    Occupant(6006, "Storybook", "Storybook CLI docs: storybook dev -p default 6006"),
    Occupant(6379, "Redis", "redis.conf: port 6379"),
    Occupant(6443, "Kubernetes API server", "kube-apiserver --secure-port default 6443"),
    Occupant(7474, "Neo4j", "Neo4j operations manual: HTTP connector 7474"),
    Occupant(7687, "Neo4j", "Neo4j operations manual: Bolt connector 7687"),
    Occupant(8000, "Django", "Django docs: runserver default port 8000"),
    Occupant(8080, "Tomcat", "Apache Tomcat server.xml: HTTP connector 8080"),
    Occupant(8086, "InfluxDB", "InfluxDB docs: http-bind-address :8086"),
    Occupant(8200, "Vault", "HashiCorp Vault docs: listener address 127.0.0.1:8200"),
    Occupant(8500, "Consul", "Consul docs: HTTP API port 8500"),
    Occupant(8888, "Jupyter", "Jupyter Server config: ServerApp.port default 8888"),
    Occupant(9000, "MinIO", "MinIO docs: server --address default :9000"),
    Occupant(9042, "Cassandra", "Cassandra docs: native_transport_port 9042"),
    Occupant(9090, "Prometheus", "Prometheus docs: --web.listen-address default 0.0.0.0:9090"),
    Occupant(9092, "Kafka", "Apache Kafka docs: listeners default PLAINTEXT://:9092"),
    Occupant(9200, "Elasticsearch", "Elasticsearch docs: http.port default 9200-9300"),
    Occupant(9229, "Node.js inspector", "Node.js docs: --inspect default 127.0.0.1:9229"),
    Occupant(10350, "Tilt", "Tilt docs: tilt up --port default 10350"),
    Occupant(11211, "Memcached", "memcached -p default 11211"),
    Occupant(11434, "Ollama", "Ollama docs: OLLAMA_HOST default 127.0.0.1:11434"),
    Occupant(12434, "Docker Model Runner", "Docker docs: Model Runner host TCP port 12434"),
    Occupant(15672, "RabbitMQ management", "RabbitMQ management plugin: HTTP API on 15672"),
    Occupant(16686, "Jaeger UI", "Jaeger docs: query service UI on 16686"),
    Occupant(27017, "MongoDB", "MongoDB docs: default port 27017"),
)
