# The demo upstream of deploy/kong/compose.yaml: localkong's echo upstream
# on :9000 (its Admin API and proxy stay on loopback ports nobody uses).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /localkong ./internal/localkong/cmd/localkong

FROM gcr.io/distroless/static-debian12
COPY --from=build /localkong /localkong
EXPOSE 9000
ENTRYPOINT ["/localkong", "-admin-listen", "127.0.0.1:0", "-proxy-listen", "127.0.0.1:0", "-upstream-listen", "0.0.0.0:9000"]
