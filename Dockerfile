# GeoRisk API for servers with Docker (docker-compose.yml). Development and CI use scripts/run.sh.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The API's build runs `npm ci` for the web map's MapLibre (docs/webmap.md).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/GeoRisk.Api -c Release -o /app/api \
 && dotnet publish src/GeoRisk.Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends libcairo2 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
# Migrations are an explicit step (the one-shot "migrate" service of docker-compose.yml), never a side effect of start-up.
# curl is for the health check in docker-compose.yml.
ENTRYPOINT ["dotnet", "/app/api/GeoRisk.Api.dll"]
