module github.com/veilstream/veil

go 1.26.8

require (
	github.com/dlclark/regexp2/v2 v2.13.0 // indirect
	github.com/nyaruka/phonenumbers v1.8.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
