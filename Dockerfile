# GeoRisk API for servers with Docker (docker-compose.yml). Development and CI use scripts/run.sh.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/GeoRisk.Api -c Release -o /app/api \
 && dotnet publish src/GeoRisk.Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends libcairo2 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
# Migrations are an explicit step (docker compose run api migrate), never a side effect of start-up.
ENTRYPOINT ["dotnet", "/app/api/GeoRisk.Api.dll"]
