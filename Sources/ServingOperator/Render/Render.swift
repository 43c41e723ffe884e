import ServingAPI
